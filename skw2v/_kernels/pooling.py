"""Pooling kernels: document vectors from word vectors (sums, means, weighted means,
maxima), and the document frequency of each word (for tf-idf weights)."""

from __future__ import annotations

import numpy as np
from numba import njit

from .words import _FASTMATH

#: Pooling modes of :func:`pool`: ``sum_t w_t v_t``; ``/ sum_t w_t``; ``/ n_tokens``; max.
POOL_SUM = 0
POOL_WEIGHTED_MEAN = 1
POOL_AVERAGE = 2
POOL_MAX = 3


@njit(inline="always", fastmath=_FASTMATH)
def _pool_document(doc, ids, indptr, weights, vectors, mode, out):
    """Pool document ``doc`` into ``out[doc]``; an empty document gives zeros.

    The means scale each token's weight by its share first (``w_t / sum w`` or
    ``w_t / n``), so partial sums never exceed the largest vector and finite vectors give
    a finite mean.
    """
    start = indptr[doc]
    stop = indptr[doc + 1]
    dim = vectors.shape[1]
    if stop == start:
        for k in range(dim):
            out[doc, k] = 0.0
        return
    if mode == POOL_MAX:
        first = ids[start]
        for k in range(dim):
            out[doc, k] = vectors[first, k]
        for i in range(start + 1, stop):
            word = ids[i]
            for k in range(dim):
                out[doc, k] = max(out[doc, k], vectors[word, k])
        return
    scale = np.float32(1.0)
    if mode == POOL_WEIGHTED_MEAN:
        total = np.float32(0.0)
        for i in range(start, stop):
            total += weights[ids[i]]
        scale = np.float32(1.0) / total if total != 0 else np.float32(0.0)
    elif mode == POOL_AVERAGE:
        scale = np.float32(1.0) / np.float32(stop - start)
    for k in range(dim):
        out[doc, k] = 0.0
    for i in range(start, stop):
        word = ids[i]
        weight = weights[word] * scale
        for k in range(dim):
            out[doc, k] += weight * vectors[word, k]


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def pool(ids, indptr, weights, vectors, mode, out):
    """``out[d]`` = pooled word vectors of document ``d`` (see the ``POOL_*`` modes).

    ``weights[w]`` weighs every occurrence of word ``w`` (ones for a plain mean or sum).
    ``indptr`` may be a slice of a larger corpus's (with ``out`` the matching rows), so
    threads can pool disjoint ranges of documents in parallel (the kernel releases the GIL).
    """
    for doc in range(indptr.shape[0] - 1):
        _pool_document(doc, ids, indptr, weights, vectors, mode, out)


@njit(nogil=True, cache=True)
def document_frequency(ids, indptr, n_words):
    """Number of documents each word occurs in (one pass, no sorting)."""
    df = np.zeros(n_words, dtype=np.int64)
    last = np.full(n_words, -1, dtype=np.int64)
    for doc in range(indptr.shape[0] - 1):
        for i in range(indptr[doc], indptr[doc + 1]):
            word = ids[i]
            if last[word] != doc:
                last[word] = doc
                df[word] += 1
    return df
