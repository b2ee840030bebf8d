"""Numba kernels of paragraph vectors (Le & Mikolov 2014): training PV-DBOW and PV-DM,
and inferring the vectors of new documents with the trained weights frozen.

They are built from the word2vec kernels' parts (``_kernels.words``): the same bundles,
subsampling, window draws, noise sampler and output step, so both objectives (negative
sampling, hierarchical softmax) and the threading scheme come for free. Training adds a
matrix of document vectors and the document of each segment (:class:`DocJob`); inference
(:class:`Inference`) runs each document on its own random stream, seeded by its word ids
and the caller's seed, so its vector never depends on the batch, its position in it or
the number of threads.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .words import (
    _FASTMATH,
    _GOLDEN,
    HIERARCHICAL_SOFTMAX,
    MAX_SEGMENT,
    NEGATIVE_SAMPLING,
    Config,
    Job,
    Model,
    Tables,
    _chunk_state,
    _draw_window,
    _fetch_increment,
    _predict,
    _scratch,
    _segment,
    _shared_block,
    _splitmix64,
    _subsample,
    chunk_trainer,
    run_chunks,
)

#: ``architecture`` codes of the paragraph-vector kernels (after ``_kernels.words``' word
#: architectures): the document vector predicts each word (PV-DBOW), or the mean of the
#: document vector and the context words' vectors predicts the centre word (PV-DM).
DBOW = 2
DM = 3


class DocJob(NamedTuple):
    """A training call of a paragraph-vector kernel: the word2vec :class:`words.Job`
    (corpus, word and output rows, tables, scalars, statistics, chunk counter), the
    document vectors (``float32``, trained in place) and the document of each segment of
    the work plan (``int64``)."""

    words: Job
    docs: np.ndarray
    seg_doc: np.ndarray


class Inference(NamedTuple):
    """An inference call: documents as CSR word ids (``ids``, ``indptr``), grouped into
    chunks of documents (``doc_ptr``); the frozen ``model``; ``epochs`` passes per
    document with the learning rate falling from ``config.alpha`` (first pass) to
    ``config.min_alpha`` (last pass), as gensim's ``infer_vector``; the inferred vectors
    go to ``out`` (one row per document); ``next_chunk`` as in training."""

    ids: np.ndarray
    indptr: np.ndarray
    doc_ptr: np.ndarray
    model: Model
    tables: Tables
    config: Config
    epochs: int
    out: np.ndarray
    next_chunk: np.ndarray


@njit(inline="always", fastmath=_FASTMATH)
def _add_gradient(matrix, row, gradient):
    for k in range(matrix.shape[1]):
        matrix[row, k] += gradient[k]


@njit(inline="always", fastmath=_FASTMATH)
def _dm_hidden(sentence, i, lo, hi, syn0, docs, doc, hidden):
    """``hidden[0]`` = the mean of ``docs[doc]`` and the vectors of the context words
    ``sentence[lo:hi]`` but ``i`` (gensim's ``dm_mean=1``)."""
    dim = hidden.shape[1]
    for k in range(dim):
        hidden[0, k] = docs[doc, k]
    for j in range(lo, hi):
        if j != i:
            word = sentence[j]
            for k in range(dim):
                hidden[0, k] += syn0[word, k]
    scale = np.float32(1.0) / np.float32(hi - lo)  # the context words and the document
    for k in range(dim):
        hidden[0, k] *= scale


@njit(inline="always", fastmath=_FASTMATH)
def _skipgram_words(sentence, i, lo, hi, job, scratch, lr, state, objective):
    """PV-DBOW's interleaved word training (``train_words``): word2vec skip-gram for
    centre ``sentence[i]``, as a shared-negatives block or pair by pair. Returns
    ``(state, loss, pairs)``."""
    model = job.model
    config = job.config
    if objective == NEGATIVE_SAMPLING and config.shared_negatives:
        return _shared_block(sentence, i, lo, hi, model, job.tables, config, scratch, lr, state)
    loss = np.float64(0.0)
    for j in range(lo, hi):
        if j != i:
            row = sentence[j]
            state, step_loss = _predict(model.syn0, row, sentence[i], objective, model,
                                        job.tables, config, lr, scratch.neu1e, state)  # fmt: skip
            _add_gradient(model.syn0, row, scratch.neu1e)
            loss += step_loss
    return state, loss, hi - lo - 1


@njit(nogil=True, fastmath=_FASTMATH)
def _train_doc_chunk(chunk, words, docs, seg_doc, scratch, decay, architecture, objective):
    """Train the segments of one chunk; returns ``(kept words, loss, examples)``.

    PV-DBOW: each kept word is predicted by its document's vector (an example), after the
    skip-gram pairs of its window with ``config.train_words`` (gensim's ``dbow_words``).
    PV-DM: the mean of the document vector and the window's context vectors predicts the
    centre word; the document vector and every context vector receive the whole error
    (gensim's ``dm_mean=1``); a window without context words trains the document alone.
    ``words`` is the job's word2vec :class:`Job`; ``docs`` and ``seg_doc`` its document
    vectors and each segment's document (the job's fields, passed apart).
    """
    corpus = words.corpus
    model = words.model
    tables = words.tables
    config = words.config
    syn0 = model.syn0
    sentence = scratch.sentence
    neu1 = scratch.neu1
    neu1e = scratch.neu1e
    state = _chunk_state(config, chunk)
    kept = 0
    loss = np.float64(0.0)
    examples = 0
    for segment in range(corpus.chunk_ptr[chunk], corpus.chunk_ptr[chunk + 1]):
        doc = seg_doc[segment]
        state, lr, n = _segment(words, segment, decay, sentence, state)
        kept += n
        for i in range(n):
            centre = sentence[i]
            if architecture == DBOW:
                if config.train_words:
                    state, lo, hi = _draw_window(state, config, i, n)
                    if hi - lo > 1:
                        state, block_loss, pairs = _skipgram_words(
                            sentence, i, lo, hi, words, scratch, lr, state, objective
                        )
                        loss += block_loss
                        examples += pairs
                state, step_loss = _predict(docs, doc, centre, objective, model, tables, config,
                                            lr, neu1e, state)  # fmt: skip
                _add_gradient(docs, doc, neu1e)
            else:
                state, lo, hi = _draw_window(state, config, i, n)
                _dm_hidden(sentence, i, lo, hi, syn0, docs, doc, neu1)
                state, step_loss = _predict(neu1, 0, centre, objective, model, tables, config,
                                            lr, neu1e, state)  # fmt: skip
                _add_gradient(docs, doc, neu1e)
                for j in range(lo, hi):
                    if j != i:
                        _add_gradient(syn0, sentence[j], neu1e)
            loss += step_loss
            examples += 1
    return kept, loss, examples


@njit(inline="always")
def _train_doc_job_chunk(chunk, job, scratch, decay, architecture, objective, subwords,
                         blocked):  # fmt: skip
    """:func:`_train_doc_chunk` for a :class:`DocJob` (``subwords`` is always False:
    paragraph vectors have no subword rows)."""
    return _train_doc_chunk(chunk, job.words, job.docs, job.seg_doc, scratch, decay,
                            architecture, objective)  # fmt: skip


chunk_trainer(DocJob, _train_doc_job_chunk)


@njit(inline="always")
def _document_state(seed, ids, start, stop):
    """The random state of one document's inference: its word ids (and count) mixed into
    ``seed``, so equal documents get equal streams wherever they are."""
    state = _splitmix64(seed ^ np.uint64(stop - start))
    for i in range(start, stop):
        state = _splitmix64(state ^ np.uint64(ids[i]))
    return state if state != 0 else _GOLDEN


@njit(inline="always", fastmath=_FASTMATH)
def _infer_document(job, d, scratch, architecture, objective):
    """Infer ``job.out[d]``: start from zeros and train it alone, the model frozen."""
    config = job.config
    model = job.model
    out = job.out
    ids = job.ids
    sentence = scratch.sentence
    neu1 = scratch.neu1
    neu1e = scratch.neu1e
    start = job.indptr[d]
    stop = job.indptr[d + 1]
    for k in range(out.shape[1]):
        out[d, k] = 0.0
    state = _document_state(config.seed, ids, start, stop)
    step = (config.alpha - config.min_alpha) / max(job.epochs - 1, 1)
    for epoch in range(job.epochs):
        lr = np.float32(config.alpha - step * epoch)
        for first in range(start, stop, MAX_SEGMENT):
            state, n = _subsample(ids, first, min(first + MAX_SEGMENT, stop), job.tables.keep,
                                  sentence, state)  # fmt: skip
            for i in range(n):
                if architecture == DBOW:
                    state, _ = _predict(out, d, sentence[i], objective, model, job.tables,
                                        config, lr, neu1e, state, False)  # fmt: skip
                else:
                    state, lo, hi = _draw_window(state, config, i, n)
                    _dm_hidden(sentence, i, lo, hi, model.syn0, out, d, neu1)
                    state, _ = _predict(neu1, 0, sentence[i], objective, model, job.tables,
                                        config, lr, neu1e, state, False)  # fmt: skip
                _add_gradient(out, d, neu1e)


@njit(nogil=True, fastmath=_FASTMATH)
def _infer_chunks(job, architecture, objective):
    """Infer the documents of chunks taken from ``job.next_chunk`` until none is left."""
    scratch = _scratch(job.config, job.out.shape[1])
    n_chunks = job.doc_ptr.shape[0] - 1
    chunk = _fetch_increment(job.next_chunk)
    while chunk < n_chunks:
        for d in range(job.doc_ptr[chunk], job.doc_ptr[chunk + 1]):
            _infer_document(job, d, scratch, architecture, objective)
        chunk = _fetch_increment(job.next_chunk)


# One compiled, disk-cached kernel per mode, as in ``_kernels.words``.


@njit(nogil=True, cache=True)
def train_dbow_negative(job):
    run_chunks(job, job.words, DBOW, NEGATIVE_SAMPLING, False, False)


@njit(nogil=True, cache=True)
def train_dbow_hierarchical(job):
    run_chunks(job, job.words, DBOW, HIERARCHICAL_SOFTMAX, False, False)


@njit(nogil=True, cache=True)
def train_dm_negative(job):
    run_chunks(job, job.words, DM, NEGATIVE_SAMPLING, False, False)


@njit(nogil=True, cache=True)
def train_dm_hierarchical(job):
    run_chunks(job, job.words, DM, HIERARCHICAL_SOFTMAX, False, False)


@njit(nogil=True, cache=True)
def infer_dbow_negative(job):
    _infer_chunks(job, DBOW, NEGATIVE_SAMPLING)


@njit(nogil=True, cache=True)
def infer_dbow_hierarchical(job):
    _infer_chunks(job, DBOW, HIERARCHICAL_SOFTMAX)


@njit(nogil=True, cache=True)
def infer_dm_negative(job):
    _infer_chunks(job, DM, NEGATIVE_SAMPLING)


@njit(nogil=True, cache=True)
def infer_dm_hierarchical(job):
    _infer_chunks(job, DM, HIERARCHICAL_SOFTMAX)


#: The training kernel of each ``(architecture, objective, subwords)`` (a
#: :class:`DocJob`), keyed like ``words.TRAINERS``.
TRAINERS = {
    (DBOW, NEGATIVE_SAMPLING, False): train_dbow_negative,
    (DBOW, HIERARCHICAL_SOFTMAX, False): train_dbow_hierarchical,
    (DM, NEGATIVE_SAMPLING, False): train_dm_negative,
    (DM, HIERARCHICAL_SOFTMAX, False): train_dm_hierarchical,
}

#: The inference kernel of each ``(architecture, objective)`` (an :class:`Inference`).
INFERRERS = {
    (DBOW, NEGATIVE_SAMPLING): infer_dbow_negative,
    (DBOW, HIERARCHICAL_SOFTMAX): infer_dbow_hierarchical,
    (DM, NEGATIVE_SAMPLING): infer_dm_negative,
    (DM, HIERARCHICAL_SOFTMAX): infer_dm_hierarchical,
}
