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

#: Segments are grouped into chunks of about this many tokens, the unit of work a thread
#: takes (and of random seeding: each chunk has its own stream).
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


#: word2vec.c's precomputed sigmoid: ``SIGMOID_TABLE[i]`` = sigmoid at the centre of the
#: ``i``-th of ``SIGMOID_BINS`` equal bins over ``[-MAX_EXP, MAX_EXP]``.
SIGMOID_BINS = 2048
_SIGMOID_SCALE = SIGMOID_BINS / (2 * MAX_EXP)
SIGMOID_TABLE = (
    1.0 / (1.0 + np.exp(-((np.arange(SIGMOID_BINS) + 0.5) / _SIGMOID_SCALE - MAX_EXP)))
).astype(np.float32)


@njit(inline="always")
def _sigmoid(f):
    """Table sigmoid, saturated at +-MAX_EXP; NaN maps to 0 (never an out-of-range index)."""
    if f > -MAX_EXP and f < MAX_EXP:
        return SIGMOID_TABLE[np.int64((f + MAX_EXP) * _SIGMOID_SCALE)]
    if f >= MAX_EXP:
        return np.float32(1.0)
    return np.float32(0.0)


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
def _train_pair(
    context, centre, syn0, syn1, negative, lr, state, n_noise, thresholds, aliases, neu1e
):
    """word2vec.c's update for one (context, centre) pair with its own noise words."""
    dim = syn0.shape[1]
    for k in range(dim):
        neu1e[k] = 0.0
    for d in range(negative + 1):
        if d == 0:
            target = centre
            label = np.float32(1.0)
        else:
            state, target = _draw_noise(state, n_noise, thresholds, aliases)
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
    return state


@njit(inline="always", fastmath=_FASTMATH)
def _train_centre_shared(
    sentence, i, lo, hi, syn0, syn1, negative, lr, state, n_noise, thresholds, aliases,
    inputs, outputs, grads, targets,
):  # fmt: skip
    """All pairs of one centre word at once, sharing one set of noise words.

    The context words' input rows and the centre + noise output rows are gathered into
    small dense blocks; the scores, gradients and both updates are small matrix products
    (the batched skip-gram of pWord2Vec / BlazingText).
    """
    dim = syn0.shape[1]
    centre = sentence[i]
    n_targets = 1
    targets[0] = centre
    for _ in range(negative):
        state, target = _draw_noise(state, n_noise, thresholds, aliases)
        if target != centre:
            targets[n_targets] = target
            n_targets += 1
    n_inputs = 0
    for j in range(lo, hi):
        if j != i:
            word = sentence[j]
            for k in range(dim):
                inputs[n_inputs, k] = syn0[word, k]
            n_inputs += 1
    for t in range(n_targets):
        word = targets[t]
        for k in range(dim):
            outputs[t, k] = syn1[word, k]
    for a in range(n_inputs):
        for t in range(n_targets):
            f = np.float32(0.0)
            for k in range(dim):
                f += inputs[a, k] * outputs[t, k]
            label = np.float32(1.0) if t == 0 else np.float32(0.0)
            grads[a, t] = (label - _sigmoid(f)) * lr
    for t in range(n_targets):
        word = targets[t]
        for a in range(n_inputs):
            g = grads[a, t]
            for k in range(dim):
                syn1[word, k] += g * inputs[a, k]
    a = 0
    for j in range(lo, hi):
        if j != i:
            word = sentence[j]
            for t in range(n_targets):
                g = grads[a, t]
                for k in range(dim):
                    syn0[word, k] += g * outputs[t, k]
            a += 1
    return state


@njit(inline="always", fastmath=_FASTMATH)
def _sgns_chunk(
    chunk, ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold, noise_alias,
    window, shrink_windows, negative, shared_negatives, alpha, decay, min_alpha,
    progress_offset, seed, sentence, neu1e, inputs, outputs, grads, targets,
):  # fmt: skip
    """Train the segments of one chunk; returns the number of words kept by subsampling.

    Subsampled words are removed before windows are drawn (as in word2vec.c). For every
    kept centre word and every context word within its (reduced) window, the context
    word's input vector ``syn0`` predicts the centre word against ``negative`` noise words
    drawn from the alias table: new noise words per pair as in word2vec.c, or one set per
    centre word when ``shared_negatives``. The learning rate decays linearly with the
    global token position of the segment.
    """
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
            reach = window
            if shrink_windows:
                state = _step(state)
                reach = window - np.int64(((state * _STAR) >> _U32) % np.uint64(window))
            lo = max(i - reach, 0)
            hi = min(i + reach + 1, n)
            if hi - lo <= 1:
                continue
            if shared_negatives:
                state = _train_centre_shared(
                    sentence, i, lo, hi, syn0, syn1, negative, lr, state, n_noise,
                    noise_threshold, noise_alias, inputs, outputs, grads, targets,
                )  # fmt: skip
            else:
                for j in range(lo, hi):
                    if j != i:
                        state = _train_pair(
                            sentence[j], sentence[i], syn0, syn1, negative, lr, state, n_noise,
                            noise_threshold, noise_alias, neu1e,
                        )  # fmt: skip
    return kept


@njit(inline="always")
def _buffers(window, negative, dim):
    """Per-thread scratch space: sentence, pair gradient, gathered rows, block gradients."""
    return (
        np.empty(MAX_SEGMENT, dtype=np.int32),
        np.empty(dim, dtype=np.float32),
        np.empty((2 * window, dim), dtype=np.float32),
        np.empty((negative + 1, dim), dtype=np.float32),
        np.empty((2 * window, negative + 1), dtype=np.float32),
        np.empty(negative + 1, dtype=np.int32),
    )


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def sgns_epoch_serial(
    ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold, noise_alias,
    window, shrink_windows, negative, shared_negatives, alpha, min_alpha, progress_offset,
    progress_total, seed, effective_words,
):  # fmt: skip
    """One epoch of skip-gram negative sampling on the calling thread.

    Chunks run in order, so the result is bitwise reproducible. ``effective_words[c]``
    receives the words chunk ``c`` kept after subsampling.
    """
    decay = (alpha - min_alpha) / progress_total
    sentence, neu1e, inputs, outputs, grads, targets = _buffers(window, negative, syn0.shape[1])
    for chunk in range(chunk_ptr.shape[0] - 1):
        effective_words[chunk] = _sgns_chunk(
            chunk, ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold,
            noise_alias, window, shrink_windows, negative, shared_negatives, alpha, decay,
            min_alpha, progress_offset, seed, sentence, neu1e, inputs, outputs, grads, targets,
        )  # fmt: skip


@njit(nogil=True, parallel=True, cache=True, fastmath=_FASTMATH)
def sgns_epoch_parallel(
    ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold, noise_alias,
    window, shrink_windows, negative, shared_negatives, alpha, min_alpha, progress_offset,
    progress_total, seed, effective_words,
):  # fmt: skip
    """One epoch of skip-gram negative sampling, Hogwild over numba's threads.

    Chunks are handed to threads in order as threads become free (run it inside
    ``numba.parallel_chunksize(1)`` for dynamic scheduling), so a slow or descheduled
    thread does not hold the others back, and all threads move through the corpus
    together: the learning rate, computed from token positions, tracks global progress
    without a shared counter. Updates are lock-free, as in word2vec.c.
    ``effective_words[c]`` receives the words chunk ``c`` kept after subsampling.
    """
    n_chunks = chunk_ptr.shape[0] - 1
    decay = (alpha - min_alpha) / progress_total
    for chunk in prange(n_chunks):
        sentence, neu1e, inputs, outputs, grads, targets = _buffers(window, negative, syn0.shape[1])
        effective_words[chunk] = _sgns_chunk(
            chunk, ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold,
            noise_alias, window, shrink_windows, negative, shared_negatives, alpha, decay,
            min_alpha, progress_offset, seed, sentence, neu1e, inputs, outputs, grads,
            targets,
        )  # fmt: skip


#: Pooling modes of :func:`pool`: ``sum_t w_t v_t``; ``/ sum_t w_t``; ``/ n_tokens``; max.
POOL_SUM = 0
POOL_WEIGHTED_MEAN = 1
POOL_AVERAGE = 2
POOL_MAX = 3


@njit(inline="always", fastmath=_FASTMATH)
def _pool_document(doc, ids, indptr, weights, vectors, mode, out):
    """Pool document ``doc`` into ``out[doc]``; an empty document gives zeros."""
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
    for k in range(dim):
        out[doc, k] = 0.0
    total = np.float32(0.0)
    for i in range(start, stop):
        word = ids[i]
        weight = weights[word]
        total += weight
        for k in range(dim):
            out[doc, k] += weight * vectors[word, k]
    if mode == POOL_SUM:
        return
    if mode == POOL_WEIGHTED_MEAN:
        scale = np.float32(1.0) / total if total != 0 else np.float32(0.0)
    else:
        scale = np.float32(1.0) / np.float32(stop - start)
    for k in range(dim):
        out[doc, k] *= scale


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def pool(ids, indptr, weights, vectors, mode, out):
    """``out[d]`` = pooled word vectors of document ``d`` (see the ``POOL_*`` modes).

    ``weights[w]`` weighs every occurrence of word ``w`` (ones for a plain mean or sum).
    """
    for doc in range(indptr.shape[0] - 1):
        _pool_document(doc, ids, indptr, weights, vectors, mode, out)


@njit(nogil=True, parallel=True, cache=True, fastmath=_FASTMATH)
def pool_parallel(ids, indptr, weights, vectors, mode, out):
    """:func:`pool` with documents spread over numba's threads."""
    for doc in prange(indptr.shape[0] - 1):
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
