"""Numba kernels: skip-gram negative-sampling training and document pooling.

Kernels take arrays only: CSR word ids, float32 matrices, fixed-point probability tables
and integer seeds. They are defined at module scope, compiled on first call and cached
on disk (``cache=True``), so a process compiles each at most once and later processes
load the machine code from the cache.

Random numbers come from xorshift64* generators seeded per (epoch, chunk) through
splitmix64, so the random stream of a chunk never depends on which thread runs it.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

#: Documents longer than this are trained as consecutive segments of this many tokens
#: (contexts do not cross a segment boundary); nothing is dropped. word2vec.c does the
#: same with 1,000-token pieces.
MAX_SEGMENT = 10_000

#: Segments are grouped into chunks of about this many tokens; chunk ``c`` of an epoch is
#: trained by thread ``c % n_threads``.
CHUNK_TOKENS = 10_000

#: Sigmoid saturation bound, as in word2vec.c and gensim.
MAX_EXP = 6.0

# fastmath without the no-NaN / no-Inf assumptions, so divergence stays detectable.
_FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}

_U12 = np.uint64(12)
_U25 = np.uint64(25)
_U27 = np.uint64(27)
_U32 = np.uint64(32)
_U30 = np.uint64(30)
_U31 = np.uint64(31)
_STAR = np.uint64(0x2545F4914F6CDD1D)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_LOW32 = np.uint64(0xFFFFFFFF)


@njit(inline="always")
def _splitmix64(x):
    z = x + _GOLDEN
    z = (z ^ (z >> _U30)) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> _U31)


@njit(inline="always")
def _step(state):
    """Advance a xorshift64 state (never zero for a non-zero start)."""
    state ^= state >> _U12
    state ^= state << _U25
    state ^= state >> _U27
    return state


@njit(inline="always")
def _sigmoid(f):
    if f >= MAX_EXP:
        return np.float32(1.0)
    if f <= -MAX_EXP:
        return np.float32(0.0)
    return np.float32(1.0) / (np.float32(1.0) + np.exp(-f))


@njit(inline="always")
def _draw_noise(state, n_noise, noise_threshold, noise_alias):
    """One O(1) draw from the alias table; returns ``(new_state, word)``."""
    state = _step(state)
    r = state * _STAR
    column = ((r >> _U32) * n_noise) >> _U32
    if (r & _LOW32) < noise_threshold[column]:
        return state, np.int32(column)
    return state, noise_alias[column]


@njit(inline="always", fastmath=_FASTMATH)
def _sgns_chunk(
    chunk,
    ids,
    seg_start,
    seg_end,
    chunk_ptr,
    syn0,
    syn1,
    keep,
    noise_threshold,
    noise_alias,
    window,
    shrink_windows,
    negative,
    alpha,
    decay,
    min_alpha,
    progress_offset,
    seed,
    sentence,
    neu1e,
):
    """Train the segments of one chunk; returns the number of words kept by subsampling.

    For every kept centre word and every context word within its (reduced) window, the
    context word's input vector ``syn0`` predicts the centre word against ``negative``
    noise words drawn from the alias table, as in word2vec.c. The learning rate decays
    linearly with the global token position of the segment.
    """
    dim = syn0.shape[1]
    n_noise = np.uint64(noise_alias.shape[0])
    state = _splitmix64(seed ^ _splitmix64(np.uint64(chunk)))
    if state == 0:
        state = _GOLDEN
    kept = 0
    for segment in range(chunk_ptr[chunk], chunk_ptr[chunk + 1]):
        start = seg_start[segment]
        stop = seg_end[segment]
        lr = np.float32(max(alpha - decay * (progress_offset + start), min_alpha))
        n = 0
        for i in range(start, stop):
            word = ids[i]
            state = _step(state)
            if ((state * _STAR) >> _U32) < keep[word]:
                sentence[n] = word
                n += 1
        kept += n
        for i in range(n):
            centre = sentence[i]
            reach = window
            if shrink_windows:
                state = _step(state)
                reach = window - np.int64(((state * _STAR) >> _U32) % np.uint64(window))
            for j in range(max(i - reach, 0), min(i + reach + 1, n)):
                if j == i:
                    continue
                context = sentence[j]
                for k in range(dim):
                    neu1e[k] = 0.0
                for d in range(negative + 1):
                    if d == 0:
                        target = centre
                        label = np.float32(1.0)
                    else:
                        state, target = _draw_noise(state, n_noise, noise_threshold, noise_alias)
                        if target == centre:
                            continue
                        label = np.float32(0.0)
                    f = np.float32(0.0)
                    for k in range(dim):
                        f += syn0[context, k] * syn1[target, k]
                    g = (label - _sigmoid(f)) * lr
                    for k in range(dim):
                        neu1e[k] += g * syn1[target, k]
                        syn1[target, k] += g * syn0[context, k]
                for k in range(dim):
                    syn0[context, k] += neu1e[k]
    return kept


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def sgns_epoch_serial(
    ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold, noise_alias,
    window, shrink_windows, negative, alpha, min_alpha, progress_offset, progress_total,
    seed, n_threads, effective_words,
):  # fmt: skip
    """One epoch of skip-gram negative sampling on the calling thread.

    Chunks run in order, so the result is bitwise reproducible; ``n_threads`` is ignored
    (it is there so both drivers share one signature). ``effective_words[0]`` receives
    the number of words kept after subsampling.
    """
    decay = (alpha - min_alpha) / progress_total
    sentence = np.empty(MAX_SEGMENT, dtype=np.int32)
    neu1e = np.empty(syn0.shape[1], dtype=np.float32)
    kept = 0
    for chunk in range(chunk_ptr.shape[0] - 1):
        kept += _sgns_chunk(
            chunk, ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold,
            noise_alias, window, shrink_windows, negative, alpha, decay, min_alpha,
            progress_offset, seed, sentence, neu1e,
        )  # fmt: skip
    effective_words[0] = kept


@njit(nogil=True, parallel=True, cache=True, fastmath=_FASTMATH)
def sgns_epoch_parallel(
    ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold, noise_alias,
    window, shrink_windows, negative, alpha, min_alpha, progress_offset, progress_total,
    seed, n_threads, effective_words,
):  # fmt: skip
    """One epoch of skip-gram negative sampling, Hogwild over ``n_threads`` threads.

    Thread ``t`` trains chunks ``t, t + n_threads, ...``: all threads advance through the
    corpus together, so the learning rate computed from token positions tracks global
    progress without any shared counter. Updates are lock-free, as in word2vec.c.
    """
    n_chunks = chunk_ptr.shape[0] - 1
    decay = (alpha - min_alpha) / progress_total
    for thread in prange(n_threads):
        sentence = np.empty(MAX_SEGMENT, dtype=np.int32)
        neu1e = np.empty(syn0.shape[1], dtype=np.float32)
        kept = 0
        for chunk in range(thread, n_chunks, n_threads):
            kept += _sgns_chunk(
                chunk, ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold,
                noise_alias, window, shrink_windows, negative, alpha, decay, min_alpha,
                progress_offset, seed, sentence, neu1e,
            )  # fmt: skip
        effective_words[thread] = kept


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def mean_pool(ids, indptr, vectors, out):
    """``out[d]`` = mean of ``vectors[ids[indptr[d]:indptr[d + 1]]]``; zeros when empty."""
    dim = vectors.shape[1]
    for doc in range(indptr.shape[0] - 1):
        start = indptr[doc]
        stop = indptr[doc + 1]
        for k in range(dim):
            out[doc, k] = 0.0
        if stop == start:
            continue
        for i in range(start, stop):
            word = ids[i]
            for k in range(dim):
                out[doc, k] += vectors[word, k]
        scale = np.float32(1.0) / np.float32(stop - start)
        for k in range(dim):
            out[doc, k] *= scale
