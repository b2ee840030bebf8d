"""CBOW with negative sampling, trained in groups of centres that share noise words
(``shared_negatives=True``, the default; ``_kernels.words`` keeps the exact per-centre
loop for ``False``). Its chunk loop joins the word kernels' through an overload of
``_kernels.words._train_chunk`` registered here, so the word kernels do not import
this module.

CBOW does little arithmetic per centre (one hidden vector against the centre and
``negative`` noise words), so its time went to drawing noise words and to reading and
writing their scattered output rows once per centre. Here each thread keeps
``CBOW_STRIDE`` open groups; the ``c``-th trained centre of a chunk joins group
``c % CBOW_STRIDE``, so a group's centres stand ``CBOW_STRIDE`` positions apart and
their windows barely overlap. A group draws one set of ``negative`` noise words when its
first centre joins (and starts fetching their rows), stores each centre's context sum
(read when it joins; the hidden vector is its mean), context words and learning rate,
and is trained when it holds ``CBOW_GROUP`` centres (or when the chunk ends): every score
from the rows as they were before the group, the noise rows' gradients summed over its
centres, each context row then receiving its centre's whole error (gensim's
``cbow_mean=1``), as in the per-centre loop.

Sharing noise among consecutive centres, whose windows overlap, lost analogy accuracy on
the benchmark corpus; groups of centres ``CBOW_STRIDE`` apart kept it
(``docs/benchmarks.md``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numba.extending import overload

from .words import (
    _FASTMATH,
    CBOW,
    NEGATIVE_SAMPLING,
    _chunk_state,
    _draw_noise_from,
    _draw_window,
    _gensim_gradient,
    _log_sigmoid,
    _prefetch,
    _segment,
    _train_chunk,
    run_chunks,
)

#: Centres per group: they share one set of noise words.
CBOW_GROUP = 4

#: Open groups per thread: consecutive centres go to different groups, so a group's
#: centres stand this many trained centres apart.
CBOW_STRIDE = 6

#: The noise rows and scores are computed this many at a time (one pass over the
#: hidden vector for four rows).
_TILE = 4


class Groups(NamedTuple):
    """A chunk's open groups: per group ``s`` and member ``b``, the sum of its context
    rows ``hidden[s, b]`` (the hidden vector is their mean), its context words
    ``context[s, b, :n_context[s, b]]``, centre word ``centres[s, b]`` and learning
    rate ``rates[s, b]``; the group's noise words ``noise[s]`` and its size ``size[s]``.
    Then the work space of training one group: the gathered output rows (centres, then
    noise words), each member's input error and its gradients (centre, then noise
    words)."""

    hidden: np.ndarray
    context: np.ndarray
    n_context: np.ndarray
    centres: np.ndarray
    rates: np.ndarray
    noise: np.ndarray
    size: np.ndarray
    outputs: np.ndarray
    errors: np.ndarray
    grads: np.ndarray


@njit
def _groups(window, negative, dim):
    """Empty :class:`Groups` for a chunk."""
    negative = max(negative, 1)
    return Groups(
        np.empty((CBOW_STRIDE, CBOW_GROUP, dim), dtype=np.float32),
        np.empty((CBOW_STRIDE, CBOW_GROUP, max(2 * window, 1)), dtype=np.int32),
        np.zeros((CBOW_STRIDE, CBOW_GROUP), dtype=np.int64),
        np.empty((CBOW_STRIDE, CBOW_GROUP), dtype=np.int32),
        np.empty((CBOW_STRIDE, CBOW_GROUP), dtype=np.float32),
        np.empty((CBOW_STRIDE, negative), dtype=np.int32),
        np.zeros(CBOW_STRIDE, dtype=np.int64),
        np.empty((CBOW_GROUP + negative, dim), dtype=np.float32),
        np.empty((CBOW_GROUP, dim), dtype=np.float32),
        np.empty((CBOW_GROUP, negative + 1), dtype=np.float32),
    )


@njit(fastmath=_FASTMATH, _nrt=False)
def train_group(s, hidden, context, n_context, centres, rates, noise, size, outputs, errors,
                grads, syn0, syn1, negative, with_loss):  # fmt: skip
    """Train open group ``s`` (the arrays of :class:`Groups`) and empty it; returns its
    loss. Scores and gradients come from the output rows as they were before the group
    (gathered into ``outputs``); a noise word that is a member's centre gives that member
    no negative example. A function of its own over arrays, without reference counting
    (``_nrt=False``)."""
    dim = syn0.shape[1]
    members = size[s]
    first_noise = CBOW_GROUP
    for b in range(members):
        word = centres[s, b]
        for k in range(dim):
            outputs[b, k] = syn1[word, k]
    for d in range(negative):
        word = noise[s, d]
        for k in range(dim):
            outputs[first_noise + d, k] = syn1[word, k]
    loss = np.float64(0.0)
    for b in range(members):
        centre = centres[s, b]
        lr = rates[s, b]
        mean = np.float32(1.0) / np.float32(n_context[s, b])  # hidden[s, b] is a sum
        f = np.float32(0.0)
        for k in range(dim):
            f += hidden[s, b, k] * outputs[b, k]
        f *= mean
        grads[b, 0] = _gensim_gradient(f, np.float32(1.0), lr)
        if with_loss:
            loss -= _log_sigmoid(f)
        # the noise scores, four rows per pass over the hidden vector
        d = 0
        while d < negative:
            row = first_noise + d
            if d + _TILE <= negative:
                f0 = np.float32(0.0)
                f1 = np.float32(0.0)
                f2 = np.float32(0.0)
                f3 = np.float32(0.0)
                for k in range(dim):
                    h = hidden[s, b, k]
                    f0 += h * outputs[row, k]
                    f1 += h * outputs[row + 1, k]
                    f2 += h * outputs[row + 2, k]
                    f3 += h * outputs[row + 3, k]
                grads[b, d + 1] = f0 * mean
                grads[b, d + 2] = f1 * mean
                grads[b, d + 3] = f2 * mean
                grads[b, d + 4] = f3 * mean
                d += _TILE
            else:
                f = np.float32(0.0)
                for k in range(dim):
                    f += hidden[s, b, k] * outputs[row, k]
                grads[b, d + 1] = f * mean
                d += 1
        for d in range(negative):
            f = grads[b, d + 1]
            if noise[s, d] == centre:
                grads[b, d + 1] = 0.0
            else:
                grads[b, d + 1] = _gensim_gradient(f, np.float32(0.0), lr)
                if with_loss:
                    loss -= _log_sigmoid(-f)
    # each member's input error, from the output rows before the group
    for b in range(members):
        g = grads[b, 0]
        for k in range(dim):
            errors[b, k] = g * outputs[b, k]
        d = 0
        while d < negative:
            row = first_noise + d
            if d + _TILE <= negative:
                g0 = grads[b, d + 1]
                g1 = grads[b, d + 2]
                g2 = grads[b, d + 3]
                g3 = grads[b, d + 4]
                for k in range(dim):
                    errors[b, k] += (g0 * outputs[row, k] + g1 * outputs[row + 1, k]
                                     + g2 * outputs[row + 2, k]
                                     + g3 * outputs[row + 3, k])  # fmt: skip
                d += _TILE
            else:
                g = grads[b, d + 1]
                for k in range(dim):
                    errors[b, k] += g * outputs[row, k]
                d += 1
    # the output rows: each centre's own, then each noise word's summed over the members;
    # hidden[s, b] is the sum of the context rows, so the gradients scale by 1 / their
    # count to update with the mean
    for b in range(members):
        mean = np.float32(1.0) / np.float32(n_context[s, b])
        for d in range(negative + 1):
            grads[b, d] *= mean
    for b in range(members):
        word = centres[s, b]
        g = grads[b, 0]
        for k in range(dim):
            syn1[word, k] += g * hidden[s, b, k]
    for d in range(negative):
        word = noise[s, d]
        b = 0
        while b < members:
            if b + _TILE <= members:
                g0 = grads[b, d + 1]
                g1 = grads[b + 1, d + 1]
                g2 = grads[b + 2, d + 1]
                g3 = grads[b + 3, d + 1]
                for k in range(dim):
                    syn1[word, k] += (g0 * hidden[s, b, k] + g1 * hidden[s, b + 1, k]
                                      + g2 * hidden[s, b + 2, k]
                                      + g3 * hidden[s, b + 3, k])  # fmt: skip
                b += _TILE
            else:
                g = grads[b, d + 1]
                for k in range(dim):
                    syn1[word, k] += g * hidden[s, b, k]
                b += 1
    for b in range(members):
        for c in range(n_context[s, b]):
            word = context[s, b, c]
            for k in range(dim):
                syn0[word, k] += errors[b, k]
    size[s] = 0
    return loss


@njit(nogil=True, fastmath=_FASTMATH)
def train_cbow_groups_chunk(chunk, job, scratch, decay, architecture, objective, subwords,
                            blocked):  # fmt: skip
    """CBOW's chunk loop with shared noise words (see the module's docstring); returns
    ``(kept words, loss, examples)`` like ``_kernels.words._train_cbow_chunk``, an example
    being a (window, centre)."""
    tables = job.tables
    config = job.config
    syn0 = job.model.syn0
    syn1 = job.model.syn1
    noise_threshold = tables.noise_threshold
    noise_alias = tables.noise_alias
    negative = config.negative
    with_loss = config.with_loss
    sentence = scratch.sentence
    dim = syn0.shape[1]
    groups = _groups(config.window, negative, dim)
    # the arrays as locals (taken from the bundle inside the loop, each was
    # reference-counted at every centre)
    hidden = groups.hidden
    context = groups.context
    n_context = groups.n_context
    centres = groups.centres
    rates = groups.rates
    noise = groups.noise
    size = groups.size
    outputs = groups.outputs
    errors = groups.errors
    grads = groups.grads
    state = _chunk_state(config, chunk)
    kept = 0
    loss = np.float64(0.0)
    examples = 0
    for segment in range(job.corpus.chunk_ptr[chunk], job.corpus.chunk_ptr[chunk + 1]):
        state, lr, n = _segment(job, segment, decay, sentence, state)
        kept += n
        for i in range(n):
            state, lo, hi = _draw_window(state, config, i, n)
            if hi - lo <= 1:
                continue
            s = examples % CBOW_STRIDE
            b = size[s]
            if b == 0:  # the group opens: its noise words, and their rows fetched meanwhile
                for d in range(negative):
                    state, word = _draw_noise_from(state, noise_threshold, noise_alias)
                    noise[s, d] = word
                    _prefetch(syn1, word)
            _prefetch(syn1, sentence[i])
            c = 0
            for j in range(lo, hi):
                if j != i:
                    word = sentence[j]
                    context[s, b, c] = word
                    if c == 0:
                        for k in range(dim):
                            hidden[s, b, k] = syn0[word, k]
                    else:
                        for k in range(dim):
                            hidden[s, b, k] += syn0[word, k]
                    c += 1
            n_context[s, b] = c
            centres[s, b] = sentence[i]
            rates[s, b] = lr
            size[s] = b + 1
            examples += 1
            if b + 1 == CBOW_GROUP:
                loss += train_group(s, hidden, context, n_context, centres, rates, noise, size,
                                    outputs, errors, grads, syn0, syn1, negative,
                                    with_loss)  # fmt: skip
    for s in range(CBOW_STRIDE):
        if size[s] > 0:
            loss += train_group(s, hidden, context, n_context, centres, rates, noise, size,
                                outputs, errors, grads, syn0, syn1, negative,
                                with_loss)  # fmt: skip
    return kept, loss, examples


@overload(_train_chunk, prefer_literal=True)
def _select_groups(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
    """The chunk loop of CBOW with negative sampling and ``shared_negatives`` (the word
    kernels' own selector declines this mode)."""
    modes = [
        getattr(t, "literal_value", None) for t in (architecture, objective, subwords, blocked)
    ]
    if modes != [CBOW, NEGATIVE_SAMPLING, False, True]:
        return None

    def impl(chunk, job, scratch, decay, architecture, objective, subwords, blocked):
        return train_cbow_groups_chunk(chunk, job, scratch, decay, architecture, objective,
                                       subwords, blocked)  # fmt: skip

    return impl


@njit(nogil=True, cache=True)
def train_cbow_negative_grouped(job):
    run_chunks(job, job, CBOW, NEGATIVE_SAMPLING, False, True)


#: The kernel of CBOW with negative sampling and ``shared_negatives``, keyed as
#: ``_kernels.words.TRAINERS``.
TRAINERS = {(CBOW, NEGATIVE_SAMPLING, False, True): train_cbow_negative_grouped}
