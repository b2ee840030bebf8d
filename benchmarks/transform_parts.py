"""Where ``transform``'s time goes: encoding the tokens, pooling the vectors, and how
close pooling is to memory speed.

    python benchmarks/transform_parts.py [--corpus PATH] [--documents 200000] [--repeats 5]

A ``Word2VecTransformer`` is fitted (1 epoch) on the first ``--documents`` lines of the
corpus; then, on the same documents, each step is timed on its own (best and median of
``--repeats``, one thread unless the row says otherwise):

- encoding: the dict lookup per token (``encode``: what ``transform`` did before issue
  27) beside the joined string (``join_tokens``, Python's ``str.join`` under the GIL) and
  its kernel lookup (``lookup_joined``, without the GIL);
- pooling the encoded corpus (the ``pool`` kernel), on 1 and 2 threads, in bytes of
  word vectors read per second (4 bytes x dimensions x tokens), beside numpy's
  ``take`` + ``add.reduceat`` (the same sums, with the gathered rows materialised) and a
  sequential read of as many bytes (``ndarray.sum`` of one large array: the machine's
  memory bandwidth for this process);
- the whole ``transform`` (2 threads).
"""

from __future__ import annotations

import argparse
import statistics
import time

import _common
import numpy as np

from skw2v import Word2VecTransformer
from skw2v._pooling import pool_encoded
from skw2v._training.corpus import encode
from skw2v._training.joined import join_tokens, lookup_joined


def timed(function, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        tic = time.perf_counter()
        function()
        times.append(time.perf_counter() - tic)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    docs = _common.load_corpus(args.corpus, args.documents)
    model = Word2VecTransformer(vector_size=100, epochs=1, n_jobs=2, random_state=0).fit(docs)
    model.transform(docs[:2_000])  # compile and build the vocabulary's table
    wv = model.wv_
    lookup, table = wv.token_lookup(), wv.token_table()
    corpus = encode(docs, lookup)
    joined = join_tokens(docs)
    state = model._pooling_state()
    n_tokens = sum(map(len, docs))
    gathered = 4 * wv.vector_size * corpus.n_tokens  # bytes of word vectors pooled
    flat = np.ones(gathered // 4, dtype=np.float32)
    rows, starts = corpus.ids, corpus.indptr[:-1]
    nonempty = np.diff(corpus.indptr) > 0

    def numpy_pool():
        sums = np.add.reduceat(np.take(wv.vectors, rows, axis=0), starts[nonempty], axis=0)
        return sums / np.diff(corpus.indptr)[nonempty, None]

    steps = [
        ("encode: dict lookup per token (before)", lambda: encode(docs, lookup), None),
        ("encode: join the tokens (str.join, GIL)", lambda: join_tokens(docs), None),
        ("encode: look the joined tokens up (kernel)", lambda: lookup_joined(*joined, table),
         None),
        ("pool kernel, 1 thread", lambda: pool_encoded(corpus, wv.vectors, state, 1), gathered),
        ("pool kernel, 2 threads", lambda: pool_encoded(corpus, wv.vectors, state, 2), gathered),
        ("numpy take + add.reduceat, 1 thread", numpy_pool, gathered),
        ("sequential read of as many bytes (ndarray.sum)", flat.sum, gathered),
        ("transform, 2 threads (all of it)", lambda: model.transform(docs), None),
    ]  # fmt: skip
    rows_out = []
    for name, function, n_bytes in steps:
        best, median = timed(function, args.repeats)
        rate = f"{n_bytes / best / 1e9:.1f}" if n_bytes else ""
        rows_out.append([name, f"{best * 1e3:.1f}", f"{median * 1e3:.1f}", rate])
    _common.print_table(
        f"transform's parts on {len(docs):,} documents ({n_tokens:,} tokens, "
        f"{corpus.n_tokens:,} in the vocabulary of {len(wv):,} words x {wv.vector_size}); "
        f"best and median of {args.repeats} runs",
        ["step", "best ms", "median ms", "GB/s of vectors read (best)"],
        rows_out,
    )


if __name__ == "__main__":
    _common.run_published(main, "transform-parts")
