"""Training loss on the benchmark corpus: per epoch with 1 and 2 threads, and its cost.

    python benchmarks/loss.py [--corpus PATH] [--repeats 2]

Skip-gram with the defaults (5 epochs). Prints ``loss_history_`` for ``n_jobs=1`` and
``n_jobs=2`` and their relative difference, then the training-loop time with the loss
computed and without it (the kernels' internal switch), alternately, 2 threads.
"""

from __future__ import annotations

import argparse
import statistics
import time

import _common
import numpy as np

from skw2v import Word2VecTransformer, _training
from skw2v._corpus import count_and_encode
from skw2v._vocab import build_vocabulary, keep_thresholds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    docs = _common.load_corpus(args.corpus, args.limit)

    histories = {}
    for n_jobs in (1, 2):
        model = Word2VecTransformer(n_jobs=n_jobs, random_state=0, compute_loss=True).fit(docs)
        histories[n_jobs] = np.array(model.loss_history_)
    rows = [[epoch + 1, f"{histories[1][epoch]:.5f}", f"{histories[2][epoch]:.5f}",
             f"{100 * (histories[2][epoch] / histories[1][epoch] - 1):+.2f}%"]
            for epoch in range(len(histories[1]))]  # fmt: skip
    _common.print_table("loss_history_ (mean loss per (context, centre) pair), skip-gram",
                        ["epoch", "n_jobs=1", "n_jobs=2", "difference"], rows)  # fmt: skip

    model = Word2VecTransformer(random_state=0)
    params = model._training_parameters()
    vocabulary, corpus = build_vocabulary(*count_and_encode(docs), min_count=5)
    noise, huffman = _training.objective_tables(vocabulary, params)
    keep = keep_thresholds(vocabulary.counts, 1e-3)
    seeds = np.arange(1, 6, dtype=np.uint64)
    times = {True: [], False: []}
    for _ in range(args.repeats):
        for with_loss in (True, False):
            rng = np.random.RandomState(0)
            syn0 = _training.uniform_rows(rng, len(vocabulary), 100)
            syn1 = np.zeros_like(syn0)
            tic = time.perf_counter()
            _training.train_epochs(corpus, syn0, syn1, keep, noise, huffman,
                                   _training.training_params(params), seeds, 2,
                                   with_loss=with_loss)  # fmt: skip
            times[with_loss].append(time.perf_counter() - tic)
    on, off = statistics.median(times[True]), statistics.median(times[False])
    _common.print_table(
        f"Cost of the loss: training loop, 2 threads, median of {args.repeats} alternating runs",
        ["loss", "seconds", "runs"],
        [["computed", f"{on:.2f}", ", ".join(f"{t:.2f}" for t in times[True])],
         ["not computed", f"{off:.2f}", ", ".join(f"{t:.2f}" for t in times[False])],
         ["overhead", f"{100 * (on / off - 1):+.1f}%", ""]],
    )  # fmt: skip


if __name__ == "__main__":
    main()
