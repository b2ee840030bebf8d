"""Numba kernels: word2vec training (skip-gram and CBOW, negative sampling and
hierarchical softmax), document pooling, and the corpus passes of vocabulary building.

Kernels take arrays only, grouped into a few typed bundles (``NamedTuple`` classes, which
numba compiles as structs): :class:`Corpus` (CSR word ids and the work plan),
:class:`Model` (the float32 matrices), :class:`Tables` (subsampling, noise and Huffman
tables), :class:`Config` (the scalars of a call), :class:`Stats` (per-chunk outputs) and
:class:`Scratch` (per-thread work space); a :class:`Job` holds all of one call's. They
are defined at module scope, compiled on
first call and cached on disk (``cache=True``), so a process compiles each at most once
and later processes load the machine code from the cache. Nothing here imports from the
package: ``_training`` and ``_pooling`` build the bundles and run the kernels.

Random numbers come from xorshift64* generators seeded per (epoch, chunk) through
splitmix64, so the random stream of a chunk never depends on which thread runs it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic, overload

#: Documents longer than this are trained as consecutive segments of this many tokens
#: (contexts do not cross a segment boundary); nothing is dropped. word2vec.c does the
#: same with 1,000-token pieces.
MAX_SEGMENT = 10_000

#: Segments are grouped into chunks of about this many tokens, the unit of work a thread
#: takes (and of random seeding: each chunk has its own stream). Threads take chunks in
#: corpus order, so they train nearby text, much as one thread would.
CHUNK_TOKENS = 2_000

#: Subword skip-gram block (:func:`_subword_block`): up to this many consecutive context
#: words on one side of the window share a set of noise words. On the benchmark corpus
#: (2 seeds each; docs/benchmarks.md) 5 (one set per side) lost 0.011-0.012 of gensim's
#: analogy accuracy, 3 lost 0.007 and 2 lost 0.006, at 1.08x and 1.18x the time of 5.
SUBWORD_NOISE_GROUP = 3

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


#: gensim's sigmoid, which CBOW with negative sampling reads (see :func:`_gensim_gradient`):
#: ``GENSIM_SIGMOID_TABLE[i]`` = sigmoid(-6 + 0.012 i), 1000 values computed in float32.
GENSIM_SIGMOID_BINS = 1000
_GENSIM_EXP = np.exp(
    (np.arange(GENSIM_SIGMOID_BINS, dtype=np.float32) / np.float32(GENSIM_SIGMOID_BINS) * 2 - 1)
    * np.float32(MAX_EXP)
).astype(np.float32)
GENSIM_SIGMOID_TABLE = (_GENSIM_EXP / (_GENSIM_EXP + np.float32(1.0))).astype(np.float32)
#: gensim indexes its table with ``EXP_TABLE_SIZE / MAX_EXP / 2`` in C integer arithmetic:
#: 1000 / 6 / 2 = 83, not 83.3.
_GENSIM_SCALE = np.float32(83.0)


@njit(inline="always")
def _gensim_gradient(f, label, lr):
    """gensim's negative-sampling gradient ``(label - sigmoid(f)) * lr``: its table read at
    ``int((f + 6) * 83)``, which is sigmoid(0.996 f - 0.03) give or take a bin, and no
    update (0) for a score beyond +-MAX_EXP, or NaN, where word2vec.c applies the
    saturated gradient. CBOW with negative sampling trains with it: on the first 100,000
    lines of the benchmark corpus it scored WordSim-353 0.1385 +- 0.0018 against
    word2vec.c's rule's 0.1334 +- 0.0017 (gensim 0.1408 +- 0.0023; 40 seeds, one thread,
    means +- standard errors), analogies alike (0.0385, 0.0388, gensim 0.0373)."""
    if f > -MAX_EXP and f < MAX_EXP:
        return (label - GENSIM_SIGMOID_TABLE[np.int64((f + MAX_EXP) * _GENSIM_SCALE)]) * lr
    return np.float32(0.0)


@njit(cache=True)
def fill_uniform(out, seed, bound):
    """Fill the 2-D C-contiguous float32 ``out`` with draws uniform in ``[-bound, bound)``
    from four interleaved xorshift64* streams seeded by ``seed`` (two 24-bit values per
    output, from its bits 40-63 and 16-39). For initial n-gram rows: several times
    faster than numpy's float64 draws for the 200M values of 2M buckets."""
    flat = out.reshape(-1)
    states = np.empty(4, dtype=np.uint64)
    mixed = np.uint64(seed)
    for s in range(4):
        mixed = _splitmix64(mixed)
        states[s] = mixed if mixed != 0 else _GOLDEN
    scale = np.float32(2.0 * bound / 16777216.0)
    low = np.float32(-bound)
    mask = np.uint64(0xFFFFFF)
    n = flat.shape[0]
    i = 0
    while i + 8 <= n:
        for s in range(4):
            states[s] = _step(states[s])
            r = states[s] * _STAR
            flat[i + 2 * s] = low + np.float32(r >> np.uint64(40)) * scale
            flat[i + 2 * s + 1] = low + np.float32((r >> np.uint64(16)) & mask) * scale
        i += 8
    while i < n:
        states[0] = _step(states[0])
        flat[i] = low + np.float32((states[0] * _STAR) >> np.uint64(40)) * scale
        i += 1


@njit(inline="always")
def _draw_noise(state, tables):
    """One O(1) draw from the noise alias table; returns ``(new_state, word)``."""
    return _draw_noise_from(state, tables.noise_threshold, tables.noise_alias)


@njit(inline="always")
def _draw_noise_from(state, noise_threshold, noise_alias):
    state = _step(state)
    r = state * _STAR
    column = ((r >> _U32) * np.uint64(noise_alias.shape[0])) >> _U32
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


@intrinsic
def _prefetch(typingctx, matrix, row):
    """Ask the CPU to fetch the cache lines of ``matrix[row]`` (a C-contiguous 2-D float32
    array) ahead of use, for a write (LLVM's ``llvm.prefetch``); no effect on results."""
    if not (isinstance(matrix, types.Array) and matrix.ndim == 2
            and isinstance(row, types.Integer)):  # fmt: skip
        return None

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        array = context.make_array(array_type)(context, builder, args[0])
        zero = context.get_constant(types.intp, 0)
        index = context.cast(builder, args[1], signature.args[1], types.intp)
        pointer = cgutils.get_item_pointer(context, builder, array_type, array, [index, zero])
        byte_pointer = builder.bitcast(pointer, ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        signature_ = ir.FunctionType(ir.VoidType(), [byte_pointer.type, i32, i32, i32])
        # the typed-pointer name; LLVM with opaque pointers upgrades it to llvm.prefetch.p0
        function = cgutils.get_or_insert_function(builder.module, signature_, "llvm.prefetch.p0i8")
        size = builder.extract_value(array.shape, 1)
        n_bytes = builder.mul(size, context.get_constant(types.intp, 4))
        with cgutils.for_range_slice(
            builder,
            zero,
            n_bytes,
            context.get_constant(types.intp, 64),
            intp=context.get_value_type(types.intp),
        ) as (offset, _):
            line = builder.gep(byte_pointer, [offset])
            builder.call(
                function, [line, ir.Constant(i32, 1), ir.Constant(i32, 3), ir.Constant(i32, 1)]
            )
        return context.get_dummy_value()

    return types.none(matrix, row), codegen


# --------------------------------------------------------------------------------------
# Training: the bundles the kernels take, and the kernels.
# --------------------------------------------------------------------------------------

#: ``architecture`` codes of the training kernels (see ``driver.ARCHITECTURES``).
SKIPGRAM = 0
CBOW = 1
#: ``objective`` codes of the training kernels (see ``driver.OBJECTIVES``).
NEGATIVE_SAMPLING = 0
HIERARCHICAL_SOFTMAX = 1


class Corpus(NamedTuple):
    """The encoded corpus and its work plan.

    Token ids (``int32``) and segments (``seg_start``/``seg_end`` token offsets, ``int64``)
    grouped into chunks: chunk ``c`` holds segments ``chunk_ptr[c]:chunk_ptr[c + 1]``.
    ``chunk_ptr`` may be a slice of the epoch's chunks (see ``Config.first_chunk``).
    """

    ids: np.ndarray
    seg_start: np.ndarray
    seg_end: np.ndarray
    chunk_ptr: np.ndarray


class Model(NamedTuple):
    """The trained matrices (``float32``, updated in place): input vectors, one row per
    word, and output vectors, one row per word (negative sampling) or per inner node of
    the Huffman tree (hierarchical softmax)."""

    syn0: np.ndarray
    syn1: np.ndarray


class Tables(NamedTuple):
    """The tables a training kernel reads.

    ``keep[w]``: subsampling, as a 32-bit fixed-point threshold (``uint64``);
    ``noise_threshold``/``noise_alias``: the noise distribution as a Walker alias table,
    its thresholds fixed-point like ``keep`` (negative sampling);
    ``codes``/``points``/``lengths``: each word's Huffman path (hierarchical softmax).
    An objective's unused tables are
    one-entry placeholders. ``sub_ptr``/``sub_rows``: with subwords, word ``w``'s input
    rows (its own, then its character n-grams' buckets) are
    ``sub_rows[sub_ptr[w]:sub_ptr[w + 1]]``; placeholders without.
    """

    keep: np.ndarray
    noise_threshold: np.ndarray
    noise_alias: np.ndarray
    codes: np.ndarray
    points: np.ndarray
    lengths: np.ndarray
    sub_ptr: np.ndarray
    sub_rows: np.ndarray


class Config(NamedTuple):
    """The scalars of one kernel call.

    The learning rate falls linearly from ``alpha`` to ``min_alpha`` over
    ``progress_total`` segments; ``progress_offset`` segments were trained before this
    epoch (gensim's schedule: by sentences, not words; on a corpus whose line lengths
    change along the file the two differ, and this one matched gensim's quality).
    Chunk ``c`` of the call draws its random numbers from a stream seeded by ``seed`` and
    its global index ``first_chunk + c``, so how an epoch is split into calls, and which
    thread trains a chunk, never changes the result.
    """

    window: int
    shrink_windows: bool
    negative: int
    shared_negatives: bool
    train_words: bool
    with_loss: bool
    alpha: float
    min_alpha: float
    progress_offset: float
    progress_total: float
    seed: np.uint64
    first_chunk: int


class Stats(NamedTuple):
    """Per chunk of the call: words kept after subsampling (``int64``), summed loss
    (``float64``) and trained examples (``int64``)."""

    effective_words: np.ndarray
    losses: np.ndarray
    examples: np.ndarray


class Scratch(NamedTuple):
    """Per-thread work space: the subsampled segment, the CBOW context mean, the input
    gradient, the gathered rows, gradients and noise words of a block, and a chunk's
    private copies of the output rows at the top of the Huffman tree (``hot``, with
    their values when the chunk began in ``hot_start``; see :func:`_path_block`), and
    CBOW's windows and noise words drawn ahead of the centres that use them (``windows``,
    ``noise``: a ring of ``CBOW_AHEAD + 1`` slots; see :func:`_draw_ahead`)."""

    sentence: np.ndarray
    neu1: np.ndarray
    neu1e: np.ndarray
    inputs: np.ndarray
    outputs: np.ndarray
    grads: np.ndarray
    targets: np.ndarray
    hot: np.ndarray
    hot_start: np.ndarray
    windows: np.ndarray
    noise: np.ndarray


#: Blocked skip-gram with hierarchical softmax: each chunk trains private copies of this
#: many output rows nearest the root of the Huffman tree (the root is on every word's
#: path, its children on about half, ...) and adds their change when it ends, so two
#: threads do not write the same few rows for every window.
HOT_PATH_ROWS = 64

#: ... and adds their change every this many windows (and when the chunk ends): the
#: other thread sees it soon enough that the two do not both push the same rows far
#: along stale values (see docs/benchmarks.md for what each choice measured).
HOT_PATH_WINDOWS = 64

#: CBOW draws each centre's window and noise words this many centres ahead of training
#: it, and asks the CPU to fetch the rows they will read (:func:`_draw_ahead`): the
#: random output rows of the noise words no longer stall the centre that needs them.
#: The draws come from the stream in the same order as before: the vectors are
#: unchanged, bit for bit.
CBOW_AHEAD = 2


@njit(inline="always")
def _scratch(config, dim, path_length=0, hot_rows=0):
    """A thread's :class:`Scratch`; a block's output rows hold the centre and its noise
    words, or a Huffman path of up to ``path_length`` inner nodes (twice: as trained and
    as gathered); ``hot_rows`` private output rows."""
    inputs = max(2 * config.window, 1)
    outputs = max(config.negative + 1, 2 * path_length)  # a path, and its rows as gathered
    return Scratch(
        np.empty(MAX_SEGMENT, dtype=np.int32),
        np.empty((1, dim), dtype=np.float32),
        np.empty(dim, dtype=np.float32),
        np.empty((inputs, dim), dtype=np.float32),
        np.empty((outputs, dim), dtype=np.float32),
        np.empty((inputs, outputs), dtype=np.float32),
        np.empty(outputs, dtype=np.int32),
        np.empty((hot_rows, dim), dtype=np.float32),
        np.empty((hot_rows, dim), dtype=np.float32),
        np.empty((CBOW_AHEAD + 1, 2), dtype=np.int64),
        np.empty((CBOW_AHEAD + 1, max(config.negative, 1)), dtype=np.int32),
    )


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
def _output_step(
    source, row, syn1, target, label, lr, neu1e, skip_saturated, with_loss, learn_hidden=True,
    gensim_rule=False,
):  # fmt: skip
    """word2vec.c's step for one output row: ``source[row]`` predicts ``label`` through
    ``syn1[target]``. Adds the input gradient to ``neu1e`` (from the output row before its
    update), updates the output row (unless ``learn_hidden`` is false: inference with
    frozen weights) and returns the loss ``-log sigmoid(+-score)``. With
    ``skip_saturated`` (hierarchical softmax, as word2vec.c) a score beyond +-MAX_EXP gives
    no update; with ``gensim_rule`` the gradient is gensim's (:func:`_gensim_gradient`)."""
    dim = syn1.shape[1]
    f = np.float32(0.0)
    for k in range(dim):
        f += source[row, k] * syn1[target, k]
    loss = np.float64(0.0)
    if with_loss:
        loss = -_log_sigmoid(f) if label > 0.5 else -_log_sigmoid(-f)
    if gensim_rule:
        g = _gensim_gradient(f, label, lr)
    else:
        if skip_saturated and (f <= -MAX_EXP or f >= MAX_EXP):
            return loss
        g = (label - _sigmoid(f)) * lr
    if learn_hidden:
        for k in range(dim):
            neu1e[k] += g * syn1[target, k]
            syn1[target, k] += g * source[row, k]
    else:
        for k in range(dim):
            neu1e[k] += g * syn1[target, k]
    return loss


@njit(inline="always", fastmath=_FASTMATH)
def _predict(
    source, row, centre, objective, model, tables, config, lr, neu1e, state, learn_hidden=True,
    noise=None, slot=0, gensim_rule=False,
):  # fmt: skip
    """``source[row]`` predicts ``centre``: against ``config.negative`` fresh noise words
    (or those already drawn in row ``slot`` of ``noise``), or down its Huffman path.
    Accumulates the input gradient in ``neu1e`` (zeroed here); returns ``(state,
    loss)``. ``learn_hidden=False`` leaves the output rows as they are;
    ``gensim_rule`` takes gensim's negative-sampling gradient (:func:`_gensim_gradient`).

    One call site of :func:`_output_step` serves both objectives (the kernels inline
    their helpers, and every inlined call site is compiled again).
    """
    for k in range(neu1e.shape[0]):
        neu1e[k] = 0.0
    loss = np.float64(0.0)
    hierarchical = objective == HIERARCHICAL_SOFTMAX
    steps = tables.lengths[centre] if hierarchical else config.negative + 1
    for d in range(steps):
        if hierarchical:
            target = tables.points[centre, d]
            label = np.float32(1.0) - np.float32(tables.codes[centre, d])
        elif d == 0:
            target = centre
            label = np.float32(1.0)
        else:
            if noise is None:
                state, target = _draw_noise(state, tables)
            else:
                target = noise[slot, d - 1]
            if target == centre:
                continue
            label = np.float32(0.0)
        loss += _output_step(source, row, model.syn1, target, label, lr, neu1e, hierarchical,
                             config.with_loss, learn_hidden, gensim_rule)  # fmt: skip
    return state, loss


@njit(inline="always")
def _shared_block(sentence, i, lo, hi, model, tables, config, scratch, lr, state):
    """Skip-gram, negative sampling: all context words of centre ``sentence[i]`` at once,
    against one set of noise words (the batched skip-gram of pWord2Vec / BlazingText).

    The context words' input rows and the centre + noise output rows are gathered into
    small dense blocks; scores, gradients and both updates are small matrix products, each
    update computed from the rows before the block. Returns ``(state, loss, pairs)``.
    """
    return _shared_core(sentence, i, lo, hi, model.syn0, model.syn1, tables.noise_threshold,
                        tables.noise_alias, scratch.inputs, scratch.outputs, scratch.grads,
                        scratch.targets, config.negative, config.with_loss, lr, state)  # fmt: skip


@njit(inline="always", fastmath=_FASTMATH)
def _shared_core(sentence, i, lo, hi, syn0, syn1, noise_threshold, noise_alias, inputs, outputs,
                 grads, targets, negative, with_loss, lr, state):  # fmt: skip
    """:func:`_shared_block` over the arrays it uses (see :func:`_shared_windows`)."""
    dim = syn0.shape[1]
    centre = sentence[i]
    n_targets = 1
    targets[0] = centre
    for _ in range(negative):
        state, word = _draw_noise_from(state, noise_threshold, noise_alias)
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


@njit(fastmath=_FASTMATH, _nrt=False)
def _shared_windows(sentence, n, syn0, syn1, noise_threshold, noise_alias, inputs, outputs,
                    grads, targets, window, shrink_windows, negative, with_loss, lr, state,
                    loss):  # fmt: skip
    """Every window of an ``n``-word segment, each as one :func:`_shared_block`; returns
    ``(state, loss + the segment's loss, pairs)``. The default mode's window loop is a
    function of its own, called once per segment with the arrays it uses (not the
    bundles) and without reference counting (``_nrt=False``: it allocates nothing).
    Inlined into the chunk loop, its code was compiled several times over: a cold first
    fit took 3 s longer. Called once per window instead, it trained 6% slower."""
    pairs = 0
    for i in range(n):
        state, lo, hi = _draw_window_from(state, window, shrink_windows, i, n)
        if hi - lo <= 1:
            continue
        state, block_loss, block_pairs = _shared_core(
            sentence, i, lo, hi, syn0, syn1, noise_threshold, noise_alias, inputs, outputs,
            grads, targets, negative, with_loss, lr, state,
        )  # fmt: skip
        loss += block_loss
        pairs += block_pairs
    return state, loss, pairs


@njit(inline="always", fastmath=_FASTMATH)
def _path_block(sentence, i, lo, hi, model, tables, scratch, lr, with_loss):
    """Skip-gram, hierarchical softmax: all context words of centre ``sentence[i]`` walk
    its Huffman path, and every one meets the same inner nodes. The path's output rows
    are gathered once into ``scratch.outputs`` and trained there, pair by pair in
    word2vec.c's order (each pair sees the rows as the window's earlier pairs left
    them); their change is added to the matrix once, when the window ends. So each
    path row is read and written once per window instead of once per pair, and the
    arithmetic is the per-pair loop's (:func:`_skipgram_pairs`), up to float rounding.
    The ``scratch.hot.shape[0]`` rows nearest the root (the last inner nodes) are read
    from and written to the chunk's private copies in ``scratch.hot``
    (:func:`_begin_hot_rows`). Scores beyond +-MAX_EXP give no update, as in
    word2vec.c. Returns ``(loss, pairs)``."""
    syn0 = model.syn0
    syn1 = model.syn1
    hot = scratch.hot
    first_hot = syn1.shape[0] - hot.shape[0]
    outputs = scratch.outputs
    neu1e = scratch.neu1e
    before = outputs.shape[0] // 2  # the rows as gathered, to add only the window's change
    dim = syn0.shape[1]
    centre = sentence[i]
    n_nodes = tables.lengths[centre]
    for t in range(n_nodes):
        node = tables.points[centre, t]
        rows, row = (hot, node - first_hot) if node >= first_hot else (syn1, node)
        for k in range(dim):
            outputs[t, k] = rows[row, k]
            outputs[before + t, k] = rows[row, k]
    loss = np.float64(0.0)
    pairs = 0
    for j in range(lo, hi):
        if j == i:
            continue
        word = sentence[j]
        for k in range(dim):
            neu1e[k] = 0.0
        for t in range(n_nodes):
            f = np.float32(0.0)
            for k in range(dim):
                f += syn0[word, k] * outputs[t, k]
            label = np.float32(1.0) - np.float32(tables.codes[centre, t])
            if with_loss:
                loss -= _log_sigmoid(f) if label > 0.5 else _log_sigmoid(-f)
            if f <= -MAX_EXP or f >= MAX_EXP:
                continue
            g = (label - _sigmoid(f)) * lr
            for k in range(dim):
                neu1e[k] += g * outputs[t, k]
                outputs[t, k] += g * syn0[word, k]
        for k in range(dim):
            syn0[word, k] += neu1e[k]
        pairs += 1
    for t in range(n_nodes):
        node = tables.points[centre, t]
        rows, row = (hot, node - first_hot) if node >= first_hot else (syn1, node)
        for k in range(dim):
            rows[row, k] += outputs[t, k] - outputs[before + t, k]
    return loss, pairs


@njit(inline="always")
def _begin_hot_rows(syn1, scratch):
    """Copy the last ``scratch.hot.shape[0]`` output rows into the chunk's private copies."""
    hot = scratch.hot
    first = syn1.shape[0] - hot.shape[0]
    for r in range(hot.shape[0]):
        for k in range(syn1.shape[1]):
            hot[r, k] = syn1[first + r, k]
            scratch.hot_start[r, k] = hot[r, k]


@njit(inline="always")
def _end_hot_rows(syn1, scratch):
    """Add the chunk's change of its private rows to the shared output rows."""
    hot = scratch.hot
    first = syn1.shape[0] - hot.shape[0]
    for r in range(hot.shape[0]):
        for k in range(syn1.shape[1]):
            syn1[first + r, k] += hot[r, k] - scratch.hot_start[r, k]


@njit(inline="always", fastmath=_FASTMATH)
def _add_rows(syn0, tables, word, out):
    """``out[0] +=`` every input row of ``word`` (subwords); returns how many."""
    dim = syn0.shape[1]
    for p in range(tables.sub_ptr[word], tables.sub_ptr[word + 1]):
        r = tables.sub_rows[p]
        for k in range(dim):
            out[0, k] += syn0[r, k]
    return tables.sub_ptr[word + 1] - tables.sub_ptr[word]


@njit(inline="always", fastmath=_FASTMATH)
def _update_rows(syn0, tables, word, grad):
    """Add ``grad`` to every input row of ``word`` (each receives the whole gradient, as in
    fastText)."""
    dim = syn0.shape[1]
    for p in range(tables.sub_ptr[word], tables.sub_ptr[word + 1]):
        r = tables.sub_rows[p]
        for k in range(dim):
            syn0[r, k] += grad[k]


@njit(inline="always")
def _prefetch_rows(syn0, tables, word):
    """Start fetching every input row of ``word`` into the cache (the n-gram rows are
    scattered over a large matrix; fetching the next centre word's rows while the current
    one trains hides most of their memory latency)."""
    for p in range(tables.sub_ptr[word], tables.sub_ptr[word + 1]):
        _prefetch(syn0, tables.sub_rows[p])


@njit(inline="always", fastmath=_FASTMATH)
def _compose(syn0, tables, word, out):
    """``out[0]`` = the mean of ``word``'s input rows (its subword vector)."""
    for k in range(syn0.shape[1]):
        out[0, k] = 0.0
    count = _add_rows(syn0, tables, word, out)
    scale = np.float32(1.0) / np.float32(max(count, 1))
    for k in range(syn0.shape[1]):
        out[0, k] *= scale


@njit(inline="always", fastmath=_FASTMATH)
def _subword_block(sentence, i, lo, hi, model, tables, config, scratch, lr, state):
    """Skip-gram with subwords, negative sampling, shared noise words: the centre word's
    subword vector, composed once, predicts each context word; each group of up to
    ``SUBWORD_NOISE_GROUP`` consecutive context words on one side of the window draws one
    set of ``config.negative`` noise words that stands for the noise of each of the
    group's pairs (its gradient counts once per pair), skipping a noise word that is one
    of the group's context words. The centre's input rows then receive the summed
    gradient once. Returns ``(state, loss, pairs)``.

    Smaller groups cost time and gain analogy accuracy (one set per window lost 0.021
    of gensim's on the benchmark corpus): see ``SUBWORD_NOISE_GROUP``.
    """
    syn0 = model.syn0
    syn1 = model.syn1
    hidden = scratch.neu1
    neu1e = scratch.neu1e
    with_loss = config.with_loss
    centre = sentence[i]
    _compose(syn0, tables, centre, hidden)
    for k in range(syn0.shape[1]):
        neu1e[k] = 0.0
    loss = np.float64(0.0)
    for j in range(lo, hi):
        if j != i:
            loss += _output_step(hidden, 0, syn1, sentence[j], np.float32(1.0), lr, neu1e,
                                 False, with_loss)  # fmt: skip
    for side in range(2):
        side_start, side_stop = (lo, i) if side == 0 else (i + 1, hi)
        for first in range(side_start, side_stop, SUBWORD_NOISE_GROUP):
            stop = min(first + SUBWORD_NOISE_GROUP, side_stop)
            n_group = stop - first
            for _ in range(config.negative):
                state, word = _draw_noise(state, tables)
                positive = False
                for j in range(first, stop):
                    if sentence[j] == word:
                        positive = True
                if not positive:
                    loss += n_group * _output_step(hidden, 0, syn1, word, np.float32(0.0),
                                                   lr * np.float32(n_group), neu1e, False,
                                                   with_loss)  # fmt: skip
    _update_rows(syn0, tables, centre, neu1e)
    return state, loss, hi - lo - 1


@njit(inline="always")
def _draw_window(state, config, i, n):
    """Draw the effective window of centre ``i`` of an ``n``-word sentence (uniform in
    ``1..window`` with ``shrink_windows``, else ``window``); returns ``(state, lo, hi)``,
    the context being positions ``lo:hi`` but ``i``."""
    return _draw_window_from(state, config.window, config.shrink_windows, i, n)


@njit(inline="always")
def _draw_window_from(state, window, shrink_windows, i, n):
    reach = np.int64(window)
    if shrink_windows:
        state = _step(state)
        reach = reach - np.int64(((state * _STAR) >> _U32) % np.uint64(window))
    return state, max(i - reach, 0), min(i + reach + 1, n)


@njit(inline="always")
def _chunk_state(config, chunk):
    """The first random state of chunk ``chunk`` of the call (never zero)."""
    state = _splitmix64(config.seed ^ _splitmix64(np.uint64(config.first_chunk + chunk)))
    return state if state != 0 else _GOLDEN


@njit(inline="always")
def _subsample(ids, start, stop, keep, sentence, state):
    """Copy the words of ``ids[start:stop]`` that survive subsampling into ``sentence``;
    returns ``(state, n kept)``."""
    n = 0
    for i in range(start, stop):
        word = ids[i]
        state = _step(state)
        if ((state * _STAR) >> _U32) < keep[word]:
            sentence[n] = word
            n += 1
    return state, n


@njit(inline="always")
def _learning_rate(config, decay, segment):
    """The learning rate of segment ``segment`` (its global index in the epoch): decayed
    linearly from ``config.alpha`` to ``config.min_alpha`` (gensim's schedule)."""
    return np.float32(max(config.alpha - decay * (config.progress_offset + segment),
                          config.min_alpha))  # fmt: skip


@njit(inline="always")
def _segment(job, segment, decay, sentence, state):
    """Every model's set-up of one segment of ``job`` (a :class:`Job`): its learning rate,
    decayed linearly with the segment's global index (gensim's schedule), and its words
    after subsampling (as in word2vec.c, before any window is drawn) in ``sentence``.
    Returns ``(state, lr, n_words)``."""
    corpus = job.corpus
    lr = _learning_rate(job.config, decay, segment)
    state, n = _subsample(corpus.ids, corpus.seg_start[segment], corpus.seg_end[segment],
                          job.tables.keep, sentence, state)  # fmt: skip
    return state, lr, n


@njit(inline="always", fastmath=_FASTMATH)
def _skipgram_pairs(sentence, i, lo, hi, job, scratch, lr, state, loss, objective, subwords):
    """Skip-gram pair by pair, exactly as word2vec.c: each context word's input row
    predicts the centre word (words), or the centre's subword vector predicts each context
    word (subwords, fastText's direction). Returns ``(state, loss, pairs)``, each pair's
    loss added to ``loss`` in turn."""
    model = job.model
    tables = job.tables
    syn0 = model.syn0
    neu1 = scratch.neu1
    neu1e = scratch.neu1e
    centre = sentence[i]
    pairs = 0
    for j in range(lo, hi):
        if j == i:
            continue
        if subwords:
            _compose(syn0, tables, centre, neu1)
        # one _predict call site (every inlined call site is compiled again)
        source, row = (neu1, 0) if subwords else (syn0, sentence[j])
        target = sentence[j] if subwords else centre
        state, step_loss = _predict(source, row, target, objective, model, tables, job.config,
                                    lr, neu1e, state)  # fmt: skip
        loss += step_loss
        if subwords:
            _update_rows(syn0, tables, centre, neu1e)
        else:
            for k in range(syn0.shape[1]):
                syn0[row, k] += neu1e[k]
        pairs += 1
    return state, loss, pairs


def _train_window(sentence, i, lo, hi, job, scratch, lr, state, loss, architecture, objective,
                  subwords, blocked):  # fmt: skip
    """Train the skip-gram window ``lo:hi`` around centre ``i`` in the mode the literal
    arguments name; returns ``(state, loss + the window's loss, examples)``. A stub for
    compiled code: the overload below picks one mode's code at compile time, so a kernel
    compiles only its own."""
    raise NotImplementedError("_train_window only runs inside compiled kernels")


@overload(_train_window, prefer_literal=True, inline="always")
def _select_window(sentence, i, lo, hi, job, scratch, lr, state, loss, architecture, objective,
                   subwords, blocked):  # fmt: skip
    modes = [
        getattr(t, "literal_value", None) for t in (architecture, objective, subwords, blocked)
    ]
    if None in modes:
        return None
    _, objective_, subwords_, blocked_ = modes  # skip-gram only (CBOW is in the loop)
    if blocked_ and objective_ == HIERARCHICAL_SOFTMAX and not subwords_:

        def path_block(sentence, i, lo, hi, job, scratch, lr, state, loss, architecture, objective,
                       subwords, blocked):  # fmt: skip
            block_loss, pairs = _path_block(sentence, i, lo, hi, job.model, job.tables, scratch,
                                            lr, job.config.with_loss)  # fmt: skip
            return state, loss + block_loss, pairs

        return path_block
    if blocked_ and objective_ == NEGATIVE_SAMPLING:
        block = _subword_block if subwords_ else _shared_block

        def shared(sentence, i, lo, hi, job, scratch, lr, state, loss, architecture, objective,
                   subwords, blocked):  # fmt: skip
            state, block_loss, pairs = block(sentence, i, lo, hi, job.model, job.tables,
                                             job.config, scratch, lr, state)  # fmt: skip
            return state, loss + block_loss, pairs

        return shared

    def pairs(sentence, i, lo, hi, job, scratch, lr, state, loss, architecture, objective, subwords,
              blocked):  # fmt: skip
        return _skipgram_pairs(sentence, i, lo, hi, job, scratch, lr, state, loss, objective,
                               subwords)  # fmt: skip

    return pairs


def _train_windows(sentence, n, job, scratch, lr, state, loss, examples, since_sync,
                   architecture, objective, subwords, blocked):  # fmt: skip
    """Train every skip-gram window of an ``n``-word segment in the mode the literal
    arguments name; returns ``(state, loss, examples, since_sync)`` updated. A stub for
    compiled code: the default mode (negative sampling, shared negatives, no subwords)
    calls :func:`_shared_windows`, a function of its own; the other modes train each
    window with :func:`_train_window`, inlined, and sync the private root rows of
    blocked hierarchical softmax every ``HOT_PATH_WINDOWS`` windows."""
    raise NotImplementedError("_train_windows only runs inside compiled kernels")


@overload(_train_windows, prefer_literal=True, inline="always")
def _select_windows(sentence, n, job, scratch, lr, state, loss, examples, since_sync,
                    architecture, objective, subwords, blocked):  # fmt: skip
    modes = [
        getattr(t, "literal_value", None) for t in (architecture, objective, subwords, blocked)
    ]
    if None in modes:
        return None
    _, objective_, subwords_, blocked_ = modes
    if blocked_ and objective_ == NEGATIVE_SAMPLING and not subwords_:

        def shared(sentence, n, job, scratch, lr, state, loss, examples, since_sync,
                   architecture, objective, subwords, blocked):  # fmt: skip
            model = job.model
            tables = job.tables
            config = job.config
            state, loss, pairs = _shared_windows(
                sentence, n, model.syn0, model.syn1, tables.noise_threshold,
                tables.noise_alias, scratch.inputs, scratch.outputs, scratch.grads,
                scratch.targets, config.window, config.shrink_windows, config.negative,
                config.with_loss, lr, state, loss,
            )  # fmt: skip
            return state, loss, examples + pairs, since_sync

        return shared

    def each_window(sentence, n, job, scratch, lr, state, loss, examples, since_sync,
                    architecture, objective, subwords, blocked):  # fmt: skip
        syn0 = job.model.syn0
        tables = job.tables
        config = job.config
        for i in range(n):
            state, lo, hi = _draw_window(state, config, i, n)
            if hi - lo <= 1:
                continue
            if subwords and i + 1 < n:
                _prefetch_rows(syn0, tables, sentence[i + 1])
            state, loss, window_examples = _train_window(
                sentence, i, lo, hi, job, scratch, lr, state, loss, architecture, objective,
                subwords, blocked,
            )  # fmt: skip
            examples += window_examples
            if scratch.hot.shape[0] > 0:
                since_sync += 1
                if since_sync == HOT_PATH_WINDOWS:
                    _end_hot_rows(job.model.syn1, scratch)
                    _begin_hot_rows(job.model.syn1, scratch)
                    since_sync = 0
        return state, loss, examples, since_sync

    return each_window


def _train_chunk(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
    """Train the segments of one chunk; returns ``(kept words, loss, examples)``.

    Subsampled words are removed before windows are drawn (as in word2vec.c); the learning
    rate decays linearly with the segment's global index (gensim's schedule). A stub for
    compiled code: the overload below picks the chunk loop of the literal ``architecture``
    (:func:`_train_skipgram_chunk` or :func:`_train_cbow_chunk`), so that a kernel
    compiles only its own architecture's loop (numba prunes no branch on a literal
    integer: the other loop, compiled and discarded, cost a sixth of a cold first fit).
    An example is a (context, centre) pair for skip-gram and a (window, centre) for CBOW.

    With ``subwords`` a word's input vector is the mean of its input rows (own row and
    n-gram buckets), and each row receives the whole error, as in fastText.
    """
    raise NotImplementedError("_train_chunk only runs inside compiled kernels")


@overload(_train_chunk, prefer_literal=True)
def _select_chunk(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
    modes = [
        getattr(t, "literal_value", None) for t in (architecture, objective, subwords, blocked)
    ]
    if None in modes:
        return None
    architecture_, objective_, subwords_, blocked_ = modes
    if architecture_ == CBOW and objective_ == NEGATIVE_SAMPLING and blocked_ and not subwords_:
        return None  # CBOW's groups: _kernels.cbow_groups registers their chunk loop
    loop = _train_cbow_chunk if architecture_ == CBOW else _train_skipgram_chunk

    def impl(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
        return loop(chunk, job, scratch, decay, architecture, objective, subwords, blocked)

    return impl


@njit(nogil=True, fastmath=_FASTMATH)
def _train_skipgram_chunk(chunk, job, scratch, decay, architecture, objective, subwords,
                          blocked):  # fmt: skip
    """Skip-gram's chunk loop: each window is trained in the kernel's mode
    (:func:`_train_window`): each context word's input vector predicts the centre word —
    ``blocked`` (``shared_negatives``), all context words of a centre as one block,
    against one set of noise words (:func:`_shared_block`) or down the centre's Huffman
    path (:func:`_path_block`); otherwise pair by pair, exactly as word2vec.c
    (:func:`_skipgram_pairs`). With subwords it runs in fastText's direction: the centre
    word's subword vector predicts each context word (pair by pair, or composed once per
    window when blocked with negative sampling, :func:`_subword_block`)."""
    sentence = scratch.sentence
    state = _chunk_state(job.config, chunk)
    kept = 0
    loss = np.float64(0.0)
    examples = 0
    _begin_hot_rows(job.model.syn1, scratch)
    since_sync = 0
    for segment in range(job.corpus.chunk_ptr[chunk], job.corpus.chunk_ptr[chunk + 1]):
        state, lr, n = _segment(job, segment, decay, sentence, state)
        kept += n
        state, loss, examples, since_sync = _train_windows(
            sentence, n, job, scratch, lr, state, loss, examples, since_sync, architecture,
            objective, subwords, blocked,
        )  # fmt: skip
    _end_hot_rows(job.model.syn1, scratch)
    return kept, loss, examples


@njit(_nrt=False)
def _draw_ahead(state, config, tables, syn0, syn1, sentence, windows, noise, i, n, objective,
                subwords):  # fmt: skip
    """Draw centre ``i``'s window and, with negative sampling, its noise words into slot
    ``i % (CBOW_AHEAD + 1)`` of ``windows``/``noise``, in the order :func:`_draw_window`
    and :func:`_predict` would draw them, and start fetching the rows the centre will
    read: its output row and its noise words', and the input rows of the word that
    enters the window. Returns the new state. A function of its own, called with arrays
    and without reference counting (``_nrt=False``): inlined, its arrays were
    reference-counted at every centre, and CBOW trained in 0.80 s (given arrays) or
    1.20 s (given the bundles) instead of 0.66 s (100,000 lines, one thread)."""
    slot = i % (CBOW_AHEAD + 1)
    state, lo, hi = _draw_window(state, config, i, n)
    windows[slot, 0] = lo
    windows[slot, 1] = hi
    if hi - lo > 1:
        if objective == NEGATIVE_SAMPLING:
            for d in range(config.negative):
                state, word = _draw_noise(state, tables)
                noise[slot, d] = word
                _prefetch(syn1, word)
            _prefetch(syn1, sentence[i])
        if subwords:
            _prefetch_rows(syn0, tables, sentence[hi - 1])
        else:
            _prefetch(syn0, sentence[hi - 1])
    return state


@njit(nogil=True, fastmath=_FASTMATH)
def _train_cbow_chunk(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
    """CBOW's chunk loop: the mean of the context vectors (with subwords, of all their
    input rows) predicts the centre word and every context row receives the whole error
    (gensim's ``cbow_mean=1``; fastText's CBOW with subwords). Each centre's window and
    noise words are drawn ``CBOW_AHEAD`` centres early, from the stream in the same
    order, and the rows they name are fetched meanwhile (:func:`_draw_ahead`). The
    window is written out in the loop, with the arrays taken from the bundles once per
    chunk: the same code in an inlined function trained 1.7x slower
    (``benchmarks/versus.py``, one thread). Negative sampling without subwords takes
    gensim's gradient (:func:`_gensim_gradient`)."""
    gensim_rule = objective == NEGATIVE_SAMPLING and not subwords
    tables = job.tables
    config = job.config
    syn0 = job.model.syn0
    syn1 = job.model.syn1
    sentence = scratch.sentence
    neu1 = scratch.neu1
    neu1e = scratch.neu1e
    windows = scratch.windows
    noise = scratch.noise
    dim = syn0.shape[1]
    state = _chunk_state(config, chunk)
    kept = 0
    loss = np.float64(0.0)
    examples = 0
    for segment in range(job.corpus.chunk_ptr[chunk], job.corpus.chunk_ptr[chunk + 1]):
        state, lr, n = _segment(job, segment, decay, sentence, state)
        kept += n
        for i in range(min(CBOW_AHEAD, n)):
            state = _draw_ahead(state, config, tables, syn0, syn1, sentence, windows, noise, i,
                                n, objective, subwords)  # fmt: skip
        for i in range(n):
            if i + CBOW_AHEAD < n:
                state = _draw_ahead(state, config, tables, syn0, syn1, sentence, windows, noise,
                                    i + CBOW_AHEAD, n, objective, subwords)  # fmt: skip
            slot = i % (CBOW_AHEAD + 1)
            lo = windows[slot, 0]
            hi = windows[slot, 1]
            if hi - lo <= 1:
                continue
            for k in range(dim):
                neu1[0, k] = 0.0
            rows = 0
            for j in range(lo, hi):
                if j != i:
                    word = sentence[j]
                    if subwords:
                        rows += _add_rows(syn0, tables, word, neu1)
                    else:
                        rows += 1
                        for k in range(dim):
                            neu1[0, k] += syn0[word, k]
            scale = np.float32(1.0) / np.float32(rows)
            for k in range(dim):
                neu1[0, k] *= scale
            state, step_loss = _predict(neu1, 0, sentence[i], objective, job.model, tables,
                                        config, lr, neu1e, state, True, noise, slot,
                                        gensim_rule)  # fmt: skip
            loss += step_loss
            for m in range(lo, hi):
                if m != i:
                    word = sentence[m]
                    if subwords:
                        _update_rows(syn0, tables, word, neu1e)
                    else:
                        for k in range(dim):
                            syn0[word, k] += neu1e[k]
            examples += 1
    return kept, loss, examples


class Job(NamedTuple):
    """Everything one call of a training kernel works on: the bundles above, and the
    shared counter ``next_chunk`` (a one-element ``int64`` array) its threads take chunks
    from."""

    corpus: Corpus
    model: Model
    tables: Tables
    config: Config
    stats: Stats
    next_chunk: np.ndarray


def train_chunk(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
    """Train one chunk of ``job``: ``(kept words, loss, examples)``. A stub for compiled
    code, resolved at compile time by the type of ``job``: each model registers its chunk
    trainer for its job bundle with ``numba.extending.overload`` (word vectors: a
    :class:`Job`, :func:`_train_chunk`; paragraph vectors: ``_kernels.documents``)."""
    raise NotImplementedError("train_chunk only runs inside compiled kernels")


def chunk_trainer(bundle: type, trainer) -> None:
    """Register ``trainer`` as :func:`train_chunk` for jobs of the NamedTuple ``bundle``
    (a compile-time choice: no function pointer, so the kernels stay cacheable)."""

    @overload(train_chunk)
    def _select(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
        if getattr(job, "instance_class", None) is not bundle:
            return None

        def impl(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
            return trainer(chunk, job, scratch, decay, architecture, objective, subwords,
                           blocked)  # fmt: skip

        return impl


@njit(nogil=True, fastmath=_FASTMATH)
def run_chunks(job, words, architecture, objective, subwords, blocked):
    """Train chunks of the work plan, taking the next untrained one from the shared
    counter, with :func:`train_chunk` (the chunk trainer of ``job``'s model): every
    model's one chunk loop. ``words`` is the :class:`Job` that ``job`` is or holds
    (paragraph vectors' ``DocJob`` holds one).

    Every thread that trains the same job takes the next chunk, in corpus order, with an
    atomic increment, until none is left (a caller stops the threads early by setting
    the counter past the last chunk). So threads train neighbouring chunks (nearby text,
    as one thread would), a slow thread never holds the others back, and the learning
    rate, computed from token positions, tracks global progress. Updates are lock-free
    (Hogwild, as in word2vec.c); each chunk's loss has its own accumulator in
    ``words.stats``. On one thread the chunks run in order and the result is bitwise
    reproducible. The chunk trainer and the modes are compile-time constants of each
    kernel that calls this.
    """
    config = words.config
    stats = words.stats
    decay = (config.alpha - config.min_alpha) / config.progress_total
    hot_rows = 0
    if architecture == SKIPGRAM and objective == HIERARCHICAL_SOFTMAX and blocked and not subwords:
        hot_rows = min(HOT_PATH_ROWS, words.model.syn1.shape[0])
    scratch = _scratch(config, words.model.syn0.shape[1], words.tables.codes.shape[1], hot_rows)
    n_chunks = words.corpus.chunk_ptr.shape[0] - 1
    chunk = _fetch_increment(words.next_chunk)
    while chunk < n_chunks:
        kept, loss, examples = train_chunk(chunk, job, scratch, decay, architecture, objective,
                                           subwords, blocked)  # fmt: skip
        stats.effective_words[chunk] = kept
        stats.losses[chunk] = loss
        stats.examples[chunk] = examples
        chunk = _fetch_increment(words.next_chunk)


chunk_trainer(Job, _train_chunk)


# One compiled, disk-cached kernel per mode (architecture, objective, subwords, blocked):
# the modes are module constants, which numba types as literals, so each kernel holds only
# its own mode's code (:func:`_train_window`) and a fit compiles only the kernel it trains
# with.


@njit(nogil=True, cache=True)
def train_skipgram_negative_blocked(job):
    run_chunks(job, job, SKIPGRAM, NEGATIVE_SAMPLING, False, True)


@njit(nogil=True, cache=True)
def train_skipgram_negative(job):
    run_chunks(job, job, SKIPGRAM, NEGATIVE_SAMPLING, False, False)


@njit(nogil=True, cache=True)
def train_skipgram_hierarchical_blocked(job):
    run_chunks(job, job, SKIPGRAM, HIERARCHICAL_SOFTMAX, False, True)


@njit(nogil=True, cache=True)
def train_skipgram_hierarchical(job):
    run_chunks(job, job, SKIPGRAM, HIERARCHICAL_SOFTMAX, False, False)


@njit(nogil=True, cache=True)
def train_cbow_negative(job):
    run_chunks(job, job, CBOW, NEGATIVE_SAMPLING, False, False)


@njit(nogil=True, cache=True)
def train_cbow_hierarchical(job):
    run_chunks(job, job, CBOW, HIERARCHICAL_SOFTMAX, False, False)


@njit(nogil=True, cache=True)
def train_subword_skipgram_negative_blocked(job):
    run_chunks(job, job, SKIPGRAM, NEGATIVE_SAMPLING, True, True)


@njit(nogil=True, cache=True)
def train_subword_skipgram_negative(job):
    run_chunks(job, job, SKIPGRAM, NEGATIVE_SAMPLING, True, False)


@njit(nogil=True, cache=True)
def train_subword_skipgram_hierarchical(job):
    run_chunks(job, job, SKIPGRAM, HIERARCHICAL_SOFTMAX, True, False)


@njit(nogil=True, cache=True)
def train_subword_cbow_negative(job):
    run_chunks(job, job, CBOW, NEGATIVE_SAMPLING, True, False)


@njit(nogil=True, cache=True)
def train_subword_cbow_hierarchical(job):
    run_chunks(job, job, CBOW, HIERARCHICAL_SOFTMAX, True, False)


#: The training kernel of each ``(architecture, objective, subwords)``, and whether it
#: trains a skip-gram window as one block (``shared_negatives``): each takes a
#: :class:`Job`. The modes without a blocked form have one kernel for both. CBOW with
#: negative sampling and ``shared_negatives`` is in ``_kernels.cbow_groups.TRAINERS``.
TRAINERS = {
    (SKIPGRAM, NEGATIVE_SAMPLING, False, True): train_skipgram_negative_blocked,
    (SKIPGRAM, NEGATIVE_SAMPLING, False, False): train_skipgram_negative,
    (SKIPGRAM, HIERARCHICAL_SOFTMAX, False, True): train_skipgram_hierarchical_blocked,
    (SKIPGRAM, HIERARCHICAL_SOFTMAX, False, False): train_skipgram_hierarchical,
    (SKIPGRAM, NEGATIVE_SAMPLING, True, True): train_subword_skipgram_negative_blocked,
    (SKIPGRAM, NEGATIVE_SAMPLING, True, False): train_subword_skipgram_negative,
    (CBOW, NEGATIVE_SAMPLING, False, False): train_cbow_negative,
}
for _blocked in (False, True):
    TRAINERS.update({
        (CBOW, HIERARCHICAL_SOFTMAX, False, _blocked): train_cbow_hierarchical,
        (SKIPGRAM, HIERARCHICAL_SOFTMAX, True, _blocked): train_subword_skipgram_hierarchical,
        (CBOW, NEGATIVE_SAMPLING, True, _blocked): train_subword_cbow_negative,
        (CBOW, HIERARCHICAL_SOFTMAX, True, _blocked): train_subword_cbow_hierarchical,
    })  # fmt: skip
