"""Training loss on the benchmark corpus: per epoch with 1 and 2 threads, and its cost.

    python benchmarks/loss.py [--corpus PATH] [--repeats 2] [--every 50]

Skip-gram with the defaults (5 epochs, ``random_state=0``), trained through the same
function ``fit`` uses. For ``n_jobs=1`` and ``n_jobs=2`` it prints ``loss_history_``
(the online loss: each example's loss before its update, averaged over the epoch) and
their relative difference, and beside them a fixed-model loss: after each epoch, the mean
loss of every ``--every``-th chunk's examples, with the learning rate at zero (nothing is
updated) and the same random draws each epoch. The second says whether the vectors still
improve; the first also contains how much each example gains from the updates just
before it, which shrinks with the learning rate. Then ``loss_history_`` of the other
training modes and of skip-gram with a constant learning rate (2 threads), and the
training-loop time of 2 epochs with the loss computed and without it (the kernels'
internal switch), alternately, on ``--cost-threads`` threads: the fastest run of each
(the least disturbed by other processes, as ``timeit`` reports) and the median.

    python benchmarks/loss.py --skip-history   # only the cost
    python benchmarks/loss.py --gensim         # only gensim's per-epoch loss, 1 worker
"""

from __future__ import annotations

import argparse
import statistics
import time

import _common
import numpy as np

from skw2v import Word2VecTransformer
from skw2v._kernels import words as _kernels
from skw2v._training import driver as _training
from skw2v._training.corpus import EncodedCorpus, count_and_encode
from skw2v._training.vocab import build_vocabulary


class FixedModelLoss:
    """Mean loss of a fixed sample of chunks under the current vectors, without updates:
    one epoch of the ordinary training loop over the sample, at a learning rate of 0."""

    def __init__(self, corpus, every: int, tables, params) -> None:
        plan = _training.plan_work(corpus)
        chosen = np.arange(0, plan.n_chunks, every)
        segments = np.concatenate([np.arange(plan.chunk_ptr[c], plan.chunk_ptr[c + 1])
                                   for c in chosen])  # fmt: skip
        starts, ends = plan.seg_start[segments], plan.seg_end[segments]
        self.sample = EncodedCorpus(
            ids=np.concatenate([corpus.ids[a:b] for a, b in zip(starts, ends)]),
            indptr=np.concatenate(([0], np.cumsum(ends - starts))).astype(np.int64),
        )
        self.frozen = {**params, "alpha": 0.0, "min_alpha": 0.0, "epochs": 1}
        self.tables = tables

    def __call__(self, syn0: np.ndarray, syn1: np.ndarray) -> float:
        report = _training.train_epochs(self.sample, _kernels.Model(syn0, syn1), self.tables,
                                        self.frozen, np.array([12345], np.uint64), 1)  # fmt: skip
        return report.loss[0]


def gensim_epoch_losses(docs) -> list[float]:
    """gensim's ``get_latest_training_loss`` after each epoch, as per-epoch increments."""
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec

    class Record(CallbackAny2Vec):
        def __init__(self) -> None:
            self.totals = [0.0]

        def on_epoch_end(self, model) -> None:
            self.totals.append(model.get_latest_training_loss())

    record = Record()
    Word2Vec(docs, sg=1, workers=1, seed=0, compute_loss=True, callbacks=[record],
             vector_size=100, window=5, min_count=5, sample=1e-3, negative=5, epochs=5)  # fmt: skip
    return list(np.diff(record.totals))


def history_tables(args, docs, params, vocabulary, corpus, fixed_model_loss) -> None:
    online, fixed = {}, {}
    for n_jobs in (1, 2):
        trained = _training.train_word_vectors(
            params, "", vocabulary=vocabulary, corpus=corpus, n_threads=n_jobs, verbose=0,
            after_epoch=lambda syn0, syn1, n=n_jobs: fixed.setdefault(n, []).append(
                fixed_model_loss(syn0, syn1)),
        )  # fmt: skip
        online[n_jobs] = trained.report.loss
    rows = [[epoch + 1, f"{online[1][epoch]:.5f}", f"{online[2][epoch]:.5f}",
             f"{100 * (online[2][epoch] / online[1][epoch] - 1):+.2f}%",
             f"{fixed[1][epoch]:.5f}", f"{fixed[2][epoch]:.5f}",
             f"{100 * (fixed[2][epoch] / fixed[1][epoch] - 1):+.2f}%"]
            for epoch in range(len(online[1]))]  # fmt: skip
    _common.print_table(
        "Skip-gram: loss_history_ (online) and the fixed-model loss after each epoch "
        f"(every {args.every}th chunk)",
        ["epoch", "online, n_jobs=1", "online, n_jobs=2", "difference",
         "fixed model, n_jobs=1", "fixed model, n_jobs=2", "difference"],
        rows,
    )  # fmt: skip

    variants = [
        ("skip-gram, per-pair negatives", dict(shared_negatives=False)),
        ("CBOW", dict(architecture="cbow")),
        ("skip-gram, hierarchical softmax", dict(objective="hierarchical_softmax", negative=0)),
        ("skip-gram, constant learning rate", dict(min_alpha=0.025)),
    ]
    rows = []
    for name, extra in variants:
        fitted = Word2VecTransformer(n_jobs=2, random_state=0, **extra).fit(docs)
        rows.append([name] + [f"{loss:.5f}" for loss in fitted.loss_history_])
    _common.print_table(
        "loss_history_ of other modes, n_jobs=2",
        ["mode"] + [f"epoch {e + 1}" for e in range(len(online[1]))],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--cost-threads", type=int, default=1)
    parser.add_argument("--skip-history", action="store_true")
    parser.add_argument("--gensim", action="store_true")
    parser.add_argument("--every", type=int, default=50, help="fixed-model loss sample")
    args = parser.parse_args()
    docs = _common.load_corpus(args.corpus, args.limit)
    if args.gensim:
        increments = gensim_epoch_losses(docs)
        _common.print_table(
            "gensim 4.4.0 skip-gram, 1 worker: get_latest_training_loss() gained per epoch",
            ["epoch", "increment"],
            [[epoch + 1, f"{value:.6g}"] for epoch, value in enumerate(increments)],
        )
        return

    model = Word2VecTransformer(random_state=0)
    params = model._training_parameters()
    vocabulary, corpus = build_vocabulary(*count_and_encode(docs), min_count=5)
    tables = _training.sampling_tables(vocabulary, params)
    fixed_model_loss = FixedModelLoss(corpus, args.every, tables, params)

    if not args.skip_history:
        history_tables(args, docs, params, vocabulary, corpus, fixed_model_loss)

    cost = {**params, "epochs": 2}
    seeds = np.arange(1, cost["epochs"] + 1, dtype=np.uint64)
    times = {True: [], False: []}
    for _ in range(args.repeats):
        for with_loss in (True, False):
            rng = np.random.RandomState(0)
            syn0 = _training.uniform_rows(rng, len(vocabulary), 100)
            syn1 = np.zeros_like(syn0)
            tic = time.perf_counter()
            _training.train_epochs(corpus, _kernels.Model(syn0, syn1), tables,
                                   {**cost, "compute_loss": with_loss}, seeds,
                                   args.cost_threads)  # fmt: skip
            times[with_loss].append(time.perf_counter() - tic)
    rows = []
    for label, pick in (("fastest", min), ("median", statistics.median)):
        on, off = pick(times[True]), pick(times[False])
        rows.append([label, f"{on:.2f}", f"{off:.2f}", f"{100 * (on / off - 1):+.1f}%"])
    _common.print_table(
        f"Cost of the loss: training loop, 2 epochs, {args.cost_threads} thread(s), "
        f"{args.repeats} alternating runs each (computed: "
        f"{', '.join(f'{t:.2f}' for t in times[True])}; not computed: "
        f"{', '.join(f'{t:.2f}' for t in times[False])})",
        ["statistic", "loss computed, s", "not computed, s", "overhead"],
        rows,
    )


if __name__ == "__main__":
    _common.run_published(main, "loss")
