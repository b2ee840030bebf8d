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
from numba import njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic

#: Documents longer than this are trained as consecutive segments of this many tokens
#: (contexts do not cross a segment boundary); nothing is dropped. word2vec.c does the
#: same with 1,000-token pieces.
MAX_SEGMENT = 10_000

#: Segments are grouped into chunks of about this many tokens, the unit of work a thread
#: takes (and of random seeding: each chunk has its own stream). Threads take chunks in
#: corpus order, so they train nearby text, much as one thread would.
CHUNK_TOKENS = 2_000

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


@intrinsic
def _fetch_increment(typingctx, counter):
    """Atomically add 1 to ``counter[0]`` (a 1-d int64 array); returns the old value."""
    if not (isinstance(counter, types.Array) and counter.dtype == types.int64):
        return None

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        array = context.make_array(array_type)(context, builder, args[0])
        zero = context.get_constant(types.intp, 0)
        pointer = cgutils.get_item_pointer(context, builder, array_type, array, [zero])
        one = context.get_constant(types.int64, 1)
        return builder.atomic_rmw("add", pointer, one, "monotonic")

    return types.int64(counter), codegen


#: ``architecture`` codes of the training kernels.
SKIPGRAM = 0
CBOW = 1
#: ``objective`` codes of the training kernels.
NEGATIVE_SAMPLING = 0
HIERARCHICAL_SOFTMAX = 1

#: ``LOG_SIGMOID_TABLE[i]`` = log(sigmoid) at the centre of the ``i``-th bin over
#: ``[-MAX_EXP, MAX_EXP]``, for the training loss.
LOG_SIGMOID_TABLE = np.log(SIGMOID_TABLE.astype(np.float64))


@njit(inline="always")
def _log_sigmoid(f):
    """log(sigmoid(f)) from a table; ~ -exp(-f) above MAX_EXP and ~ f below -MAX_EXP."""
    if f > -MAX_EXP and f < MAX_EXP:
        return LOG_SIGMOID_TABLE[np.int64((f + MAX_EXP) * _SIGMOID_SCALE)]
    if f >= MAX_EXP:
        return -np.exp(-np.float64(f))
    if f <= -MAX_EXP:
        return np.float64(f)
    return np.float64(-MAX_EXP)  # NaN: a finite stand-in; divergence is caught after training


@njit(inline="always", fastmath=_FASTMATH)
def _output_step(source, row, syn1, target, label, lr, neu1e, skip_saturated, with_loss):
    """word2vec.c's step for one output row: ``source[row]`` predicts ``label`` through
    ``syn1[target]``. Adds the input gradient to ``neu1e`` (from the output row before its
    update), updates the output row and returns the loss ``-log sigmoid(+-score)``. With
    ``skip_saturated`` (hierarchical softmax, as word2vec.c) a score beyond +-MAX_EXP gives
    no update."""
    dim = syn1.shape[1]
    f = np.float32(0.0)
    for k in range(dim):
        f += source[row, k] * syn1[target, k]
    loss = np.float64(0.0)
    if with_loss:
        loss = -_log_sigmoid(f) if label > 0.5 else -_log_sigmoid(-f)
    if skip_saturated and (f <= -MAX_EXP or f >= MAX_EXP):
        return loss
    g = (label - _sigmoid(f)) * lr
    for k in range(dim):
        neu1e[k] += g * syn1[target, k]
        syn1[target, k] += g * source[row, k]
    return loss


@njit(inline="always", fastmath=_FASTMATH)
def _predict(
    source, row, centre, objective, negative, state, n_noise, noise_threshold, noise_alias,
    codes, points, lengths, syn1, lr, neu1e, with_loss,
):  # fmt: skip
    """``source[row]`` predicts ``centre``: against ``negative`` fresh noise words, or down
    its Huffman path. Accumulates the input gradient in ``neu1e`` (zeroed here); returns
    ``(state, loss)``."""
    for k in range(neu1e.shape[0]):
        neu1e[k] = 0.0
    loss = np.float64(0.0)
    if objective == HIERARCHICAL_SOFTMAX:
        for d in range(lengths[centre]):
            label = np.float32(1.0) - np.float32(codes[centre, d])
            loss += _output_step(source, row, syn1, points[centre, d], label, lr, neu1e,
                                 True, with_loss)  # fmt: skip
        return state, loss
    loss += _output_step(source, row, syn1, centre, np.float32(1.0), lr, neu1e, False, with_loss)
    for _ in range(negative):
        state, word = _draw_noise(state, n_noise, noise_threshold, noise_alias)
        if word != centre:
            loss += _output_step(source, row, syn1, word, np.float32(0.0), lr, neu1e, False,
                                 with_loss)  # fmt: skip
    return state, loss


@njit(inline="always", fastmath=_FASTMATH)
def _shared_block(
    sentence, i, lo, hi, syn0, syn1, negative, lr, state, n_noise, noise_threshold,
    noise_alias, inputs, outputs, grads, targets, with_loss,
):  # fmt: skip
    """Skip-gram, negative sampling: all context words of centre ``sentence[i]`` at once,
    against one set of noise words (the batched skip-gram of pWord2Vec / BlazingText).

    The context words' input rows and the centre + noise output rows are gathered into
    small dense blocks; scores, gradients and both updates are small matrix products, each
    update computed from the rows before the block. Returns ``(state, loss, pairs)``.
    """
    dim = syn0.shape[1]
    centre = sentence[i]
    n_targets = 1
    targets[0] = centre
    for _ in range(negative):
        state, word = _draw_noise(state, n_noise, noise_threshold, noise_alias)
        if word != centre:
            targets[n_targets] = word
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
    loss = np.float64(0.0)
    for a in range(n_inputs):
        for t in range(n_targets):
            f = np.float32(0.0)
            for k in range(dim):
                f += inputs[a, k] * outputs[t, k]
            if t == 0:
                grads[a, t] = (np.float32(1.0) - _sigmoid(f)) * lr
                if with_loss:
                    loss -= _log_sigmoid(f)
            else:
                grads[a, t] = -_sigmoid(f) * lr
                if with_loss:
                    loss -= _log_sigmoid(-f)
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
    return state, loss, n_inputs


@njit(nogil=True, fastmath=_FASTMATH)
def _train_chunk(
    chunk, ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold, noise_alias,
    codes, points, lengths, architecture, objective, window, shrink_windows, negative,
    shared_negatives, with_loss, alpha, decay, min_alpha, progress_offset, seed, first_chunk,
    sentence, neu1, neu1e, inputs, outputs, grads, targets,
):  # fmt: skip
    """Train the segments of one chunk; returns ``(kept words, loss, examples)``.

    Subsampled words are removed before windows are drawn (as in word2vec.c); the learning
    rate decays linearly with the segment's global token position. Skip-gram: each context
    word's input vector predicts the centre word — with negative sampling and
    ``shared_negatives``, all context words of a centre as one block against one set of
    noise words (:func:`_shared_block`); otherwise pair by pair, exactly as word2vec.c.
    CBOW: the mean of the context vectors predicts the centre word and every context
    vector receives the whole error (gensim's ``cbow_mean=1``). An example is a
    (context, centre) pair for skip-gram and a (window, centre) for CBOW.
    """
    dim = syn0.shape[1]
    n_noise = np.uint64(noise_alias.shape[0])
    blocked = architecture == SKIPGRAM and objective == NEGATIVE_SAMPLING and shared_negatives
    state = _splitmix64(seed ^ _splitmix64(np.uint64(first_chunk + chunk)))
    if state == 0:
        state = _GOLDEN
    kept = 0
    loss = np.float64(0.0)
    examples = 0
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
            centre = sentence[i]
            if blocked:
                state, block_loss, pairs = _shared_block(
                    sentence, i, lo, hi, syn0, syn1, negative, lr, state, n_noise,
                    noise_threshold, noise_alias, inputs, outputs, grads, targets, with_loss,
                )  # fmt: skip
                loss += block_loss
                examples += pairs
            elif architecture == CBOW:
                scale = np.float32(1.0) / np.float32(hi - lo - 1)
                for k in range(dim):
                    neu1[0, k] = 0.0
                for j in range(lo, hi):
                    if j != i:
                        word = sentence[j]
                        for k in range(dim):
                            neu1[0, k] += syn0[word, k]
                for k in range(dim):
                    neu1[0, k] *= scale
                state, step_loss = _predict(
                    neu1, 0, centre, objective, negative, state, n_noise, noise_threshold,
                    noise_alias, codes, points, lengths, syn1, lr, neu1e, with_loss,
                )  # fmt: skip
                loss += step_loss
                for j in range(lo, hi):
                    if j != i:
                        word = sentence[j]
                        for k in range(dim):
                            syn0[word, k] += neu1e[k]
                examples += 1
            else:
                for j in range(lo, hi):
                    if j != i:
                        context = sentence[j]
                        state, step_loss = _predict(
                            syn0, context, centre, objective, negative, state, n_noise,
                            noise_threshold, noise_alias, codes, points, lengths, syn1, lr,
                            neu1e, with_loss,
                        )  # fmt: skip
                        loss += step_loss
                        for k in range(dim):
                            syn0[context, k] += neu1e[k]
                        examples += 1
    return kept, loss, examples


@njit(inline="always")
def _buffers(window, negative, dim):
    """Per-chunk scratch: sentence, CBOW context mean, input gradient, and the gathered
    input and output rows, gradients and noise words of a shared-negatives block."""
    inputs = max(2 * window, 1)
    return (
        np.empty(MAX_SEGMENT, dtype=np.int32),
        np.empty((1, dim), dtype=np.float32),
        np.empty(dim, dtype=np.float32),
        np.empty((inputs, dim), dtype=np.float32),
        np.empty((negative + 1, dim), dtype=np.float32),
        np.empty((inputs, negative + 1), dtype=np.float32),
        np.empty(negative + 1, dtype=np.int32),
    )


@njit(nogil=True, cache=True, fastmath=_FASTMATH)
def train_epoch_serial(
    ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold, noise_alias,
    codes, points, lengths, architecture, objective, window, shrink_windows, negative,
    shared_negatives, with_loss, alpha, min_alpha, progress_offset, progress_total, seed,
    first_chunk,
    effective_words, losses, examples,
):  # fmt: skip
    """One epoch on the calling thread, chunks in order: bitwise reproducible.

    ``chunk_ptr`` may be a slice of the epoch's chunks: ``first_chunk`` is the global index
    of its first chunk (each chunk's random stream is seeded by its global index, so how
    an epoch is sliced never changes the result). Per chunk ``c``: ``effective_words[c]``
    words kept after subsampling, ``losses[c]`` summed loss (float64), ``examples[c]``
    trained examples.
    """
    decay = (alpha - min_alpha) / progress_total
    buffers = _buffers(window, negative, syn0.shape[1])
    sentence, neu1, neu1e, inputs, outputs, grads, targets = buffers
    for chunk in range(chunk_ptr.shape[0] - 1):
        effective_words[chunk], losses[chunk], examples[chunk] = _train_chunk(
            chunk, ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold,
            noise_alias, codes, points, lengths, architecture, objective, window,
            shrink_windows, negative, shared_negatives, with_loss, alpha, decay, min_alpha,
            progress_offset, seed, first_chunk, sentence, neu1, neu1e, inputs, outputs, grads,
            targets,
        )  # fmt: skip


@njit(nogil=True, parallel=True, cache=True, fastmath=_FASTMATH)
def train_epoch_parallel(
    ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold, noise_alias,
    codes, points, lengths, architecture, objective, window, shrink_windows, negative,
    shared_negatives, with_loss, alpha, min_alpha, progress_offset, progress_total, seed,
    first_chunk,
    effective_words, losses, examples, n_threads,
):  # fmt: skip
    """One epoch, Hogwild over ``n_threads`` of numba's threads; outputs as
    :func:`train_epoch_serial`.

    Each thread takes the next untrained chunk, in corpus order, from a shared atomic
    counter whenever it is free. So the threads train neighbouring chunks (nearby text,
    as one thread would), a slow or descheduled thread never holds the others back, and
    the learning rate, computed from token positions, tracks global progress. (numba's
    own ``prange`` schedule hands each thread one contiguous share of the chunks, which
    puts the threads far apart in the corpus; ``parallel_chunksize`` does not change
    that in the workqueue and OpenMP layers.) Updates are lock-free, as in word2vec.c.
    Each chunk has its own loss accumulator, so no update to the loss is lost.
    """
    decay = (alpha - min_alpha) / progress_total
    n_chunks = chunk_ptr.shape[0] - 1
    next_chunk = np.zeros(1, dtype=np.int64)
    for _ in prange(n_threads):
        buffers = _buffers(window, negative, syn0.shape[1])
        sentence, neu1, neu1e, inputs, outputs, grads, targets = buffers
        chunk = _fetch_increment(next_chunk)
        while chunk < n_chunks:
            effective_words[chunk], losses[chunk], examples[chunk] = _train_chunk(
                chunk, ids, seg_start, seg_end, chunk_ptr, syn0, syn1, keep, noise_threshold,
                noise_alias, codes, points, lengths, architecture, objective, window,
                shrink_windows, negative, shared_negatives, with_loss, alpha, decay,
                min_alpha, progress_offset, seed, first_chunk, sentence, neu1, neu1e, inputs,
                outputs, grads, targets,
            )  # fmt: skip
            chunk = _fetch_increment(next_chunk)


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
