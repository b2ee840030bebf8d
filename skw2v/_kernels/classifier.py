"""Numba kernels of the supervised fastText classifier (Joulin et al. 2016): a document's
vector is the mean of its input rows (words, their character n-grams, its word n-grams);
a linear layer over the labels is trained jointly with those rows.

The kernels plug into the word2vec chunk loop (``_kernels.words.run_chunks``) through
:class:`ClassJob`: its word2vec :class:`~words.Job` holds each document's input rows as
one segment (``corpus``), the input rows and the label rows (``model``), and the label
tables (``tables``: noise over labels for negative sampling, a Huffman tree over label
counts for hierarchical softmax); the class job adds each segment's document, each
document's labels and its weight.

The losses follow Facebook's ``loss.cc``: softmax over all labels; negative sampling (the
true label against ``negative`` labels drawn from label counts^0.5, never the true one);
hierarchical softmax (the path of the label in a Huffman tree of label counts, a branch
bit 1 being the positive class); one-vs-all (an independent logistic loss per label, the
document's labels positive). Every input row of a document receives the gradient divided
by the number of rows (fastText's ``normalizeGradient`` for supervised models).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .subwords import _FNV_OFFSET, _mix
from .words import (
    _FASTMATH,
    HIERARCHICAL_SOFTMAX,
    NEGATIVE_SAMPLING,
    Job,
    _chunk_state,
    _draw_noise,
    _learning_rate,
    _output_step,
    chunk_trainer,
    run_chunks,
)

#: ``architecture`` code of the classifier (after the word and paragraph-vector codes).
SUPERVISED = 4
#: ``objective`` codes of the classifier's own losses (negative sampling and hierarchical
#: softmax keep the word2vec codes).
SOFTMAX = 2
ONE_VS_ALL = 3

#: A noise label equal to the true one is drawn again, at most this many times.
_MAX_REDRAWS = 64


class ClassJob(NamedTuple):
    """A training call of a classifier kernel: the word2vec job (one segment per document,
    whose "words" are the document's input rows), the document of each segment
    (``int64``), each document's labels as CSR (``label_ptr`` ``int64``, ``labels``
    ``int32``: label ``l`` is output row ``l`` for softmax, one-vs-all and negative
    sampling, a Huffman leaf for hierarchical softmax), each document's weight
    (``float32``, scaling its learning rate), and ``private_labels``: whether each
    chunk trains a private copy of the label rows (see :func:`_train_class_chunk`)."""

    words: Job
    seg_doc: np.ndarray
    label_ptr: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    private_labels: bool


#: With several threads, each chunk trains private copies of this many of the most
#: frequent input rows (the end-of-line word and words such as "the", in nearly every
#: document), besides the label rows (see :func:`_train_class_chunk`).
HOT_ROWS = 64


@njit(inline="always", fastmath=_FASTMATH)
def _hidden(ids, start, stop, syn0, hot, hidden):
    """``hidden[0]`` = mean of the rows ``syn0[ids[start:stop]]`` (``stop > start``),
    rows below ``hot.shape[0]`` read from ``hot``."""
    dim = syn0.shape[1]
    n_hot = hot.shape[0]
    for k in range(dim):
        hidden[0, k] = 0.0
    for i in range(start, stop):
        row = ids[i]
        source = hot if row < n_hot else syn0
        for k in range(dim):
            hidden[0, k] += source[row, k]
    scale = np.float32(1.0) / np.float32(stop - start)
    for k in range(dim):
        hidden[0, k] *= scale


@njit(inline="always", fastmath=_FASTMATH)
def _softmax_step(hidden, syn1, target, lr, grad, output, with_loss):
    """Softmax over every label row of ``syn1``; ``target`` is the true label. Adds the
    input gradient to ``grad``, updates every label row, returns ``-log p(target)``."""
    n_labels = syn1.shape[0]
    dim = syn1.shape[1]
    largest = np.float32(-np.inf)
    for label in range(n_labels):
        score = np.float32(0.0)
        for k in range(dim):
            score += hidden[0, k] * syn1[label, k]
        output[label] = score
        largest = max(largest, score)
    total = np.float32(0.0)
    for label in range(n_labels):
        output[label] = np.exp(output[label] - largest)
        total += output[label]
    for label in range(n_labels):
        output[label] /= total
    loss = np.float64(0.0)
    if with_loss:
        loss = -np.log(max(np.float64(output[target]), 1e-30))
    for label in range(n_labels):
        truth = np.float32(1.0) if label == target else np.float32(0.0)
        alpha = lr * (truth - output[label])
        for k in range(dim):
            grad[k] += alpha * syn1[label, k]
            syn1[label, k] += alpha * hidden[0, k]
    return loss


@njit(inline="always", fastmath=_FASTMATH)
def _is_label(labels, first, last, label):
    for j in range(first, last):
        if labels[j] == label:
            return True
    return False


@njit(nogil=True, fastmath=_FASTMATH)
def _train_class_chunk(chunk, job, scratch, decay, architecture, objective, subwords,
                       blocked):  # fmt: skip
    """Train the documents of one chunk; returns ``(input rows, loss, documents)``.

    A document without input rows or without labels trains nothing (fastText skips it
    too). Its learning rate (the global schedule, times its weight) is split evenly over
    its input rows.

    Softmax and one-vs-all update every label row for every document, and every
    document updates the end-of-line row and the rows of its most frequent words. With
    several threads (``job.private_labels``) those few rows would bounce between the
    cores' caches on every document (two threads trained 3x slower than one, KJV verses,
    7 classes), so each chunk trains private copies of them (the label rows for softmax
    and one-vs-all, and the ``HOT_ROWS`` most frequent input rows) and adds its change
    to the shared rows at its end (a chunk is about 2,000 input rows: tens of
    documents).
    """
    words = job.words
    corpus = words.corpus
    model = words.model
    tables = words.tables
    config = words.config
    syn0 = model.syn0
    shared = model.syn1
    private = job.private_labels and (objective == SOFTMAX or objective == ONE_VS_ALL)
    syn1 = shared.copy() if private else shared
    start_rows = syn1.copy() if private else syn1
    n_hot = min(HOT_ROWS, syn0.shape[0]) if job.private_labels else 0
    hot = syn0[:n_hot].copy()
    hot_start = hot.copy()
    ids = corpus.ids
    hidden = scratch.neu1
    grad = scratch.neu1e
    dim = syn0.shape[1]
    output = np.empty(syn1.shape[0] if objective == SOFTMAX else 1, dtype=np.float32)
    with_loss = config.with_loss
    state = _chunk_state(config, chunk)
    kept = 0
    loss = np.float64(0.0)
    examples = 0
    for segment in range(corpus.chunk_ptr[chunk], corpus.chunk_ptr[chunk + 1]):
        start = corpus.seg_start[segment]
        stop = corpus.seg_end[segment]
        doc = job.seg_doc[segment]
        first = job.label_ptr[doc]
        last = job.label_ptr[doc + 1]
        if stop == start or last == first:
            continue
        lr = _learning_rate(config, decay, segment) * job.weights[doc]
        _hidden(ids, start, stop, syn0, hot, hidden)
        for k in range(dim):
            grad[k] = 0.0
        target = job.labels[first]
        if objective == SOFTMAX:
            loss += _softmax_step(hidden, syn1, target, lr, grad, output, with_loss)
        elif objective == ONE_VS_ALL:
            for label in range(syn1.shape[0]):
                positive = _is_label(job.labels, first, last, label)
                truth = np.float32(1.0) if positive else np.float32(0.0)
                loss += _output_step(hidden, 0, syn1, label, truth, lr, grad, False, with_loss)
        elif objective == NEGATIVE_SAMPLING:
            loss += _output_step(hidden, 0, syn1, target, np.float32(1.0), lr, grad, False,
                                 with_loss)  # fmt: skip
            for _ in range(config.negative):
                noise = target
                for _ in range(_MAX_REDRAWS):
                    state, noise = _draw_noise(state, tables)
                    if noise != target:
                        break
                if noise != target:
                    loss += _output_step(hidden, 0, syn1, noise, np.float32(0.0), lr, grad,
                                         False, with_loss)  # fmt: skip
        else:  # HIERARCHICAL_SOFTMAX: down the label's path, a branch bit 1 is positive
            for d in range(tables.lengths[target]):
                loss += _output_step(hidden, 0, syn1, tables.points[target, d],
                                     np.float32(tables.codes[target, d]), lr, grad, False,
                                     with_loss)  # fmt: skip
        scale = np.float32(1.0) / np.float32(stop - start)
        for k in range(dim):
            grad[k] *= scale
        for i in range(start, stop):
            row = ids[i]
            target_rows = hot if row < n_hot else syn0
            for k in range(dim):
                target_rows[row, k] += grad[k]
        kept += stop - start
        examples += 1
    if private:
        for label in range(shared.shape[0]):
            for k in range(dim):
                shared[label, k] += syn1[label, k] - start_rows[label, k]
    for row in range(n_hot):
        for k in range(dim):
            syn0[row, k] += hot[row, k] - hot_start[row, k]
    return kept, loss, examples


chunk_trainer(ClassJob, _train_class_chunk)


@njit(nogil=True, cache=True)
def train_softmax(job):
    run_chunks(job, job.words, SUPERVISED, SOFTMAX, False, False)


@njit(nogil=True, cache=True)
def train_one_vs_all(job):
    run_chunks(job, job.words, SUPERVISED, ONE_VS_ALL, False, False)


@njit(nogil=True, cache=True)
def train_negative(job):
    run_chunks(job, job.words, SUPERVISED, NEGATIVE_SAMPLING, False, False)


@njit(nogil=True, cache=True)
def train_hierarchical(job):
    run_chunks(job, job.words, SUPERVISED, HIERARCHICAL_SOFTMAX, False, False)


#: The classifier's training kernel of each ``(architecture, loss, subwords)`` (subwords
#: are already among a document's input rows, so the flag is always False); each takes
#: a :class:`ClassJob`.
TRAINERS = {
    (SUPERVISED, SOFTMAX, False): train_softmax,
    (SUPERVISED, ONE_VS_ALL, False): train_one_vs_all,
    (SUPERVISED, NEGATIVE_SAMPLING, False): train_negative,
    (SUPERVISED, HIERARCHICAL_SOFTMAX, False): train_hierarchical,
}


# ------------------------------------------------------------------ input rows
_NGRAM_PRIME = np.uint64(116049371)


@njit(inline="always")
def _widened(h):
    """fastText keeps word hashes as ``int32`` and widens them to ``uint64`` (sign
    extension) before mixing word n-grams."""
    if h >= 2147483648:
        return np.uint64(h) | np.uint64(0xFFFFFFFF00000000)
    return np.uint64(h)


@njit(inline="always")
def _ngram_row(h, buckets, first_bucket_row, bucket_map):
    """The input row of bucket ``h % buckets``, or -1 when a pruned model dropped it."""
    bucket = np.int64(h % np.uint64(buckets))
    if bucket_map.shape[0] > 0:
        mapped = bucket_map[bucket]
        if mapped < 0:
            return np.int64(-1)
        return first_bucket_row + np.int64(mapped)
    return first_bucket_row + bucket


@njit(inline="always")
def _document_rows(ids, start, stop, eos, type_ptr, type_rows, type_hash, word_ngrams, buckets,
                   first_bucket_row, bucket_map, out, pos):  # fmt: skip
    """Write document ``ids[start:stop]``'s input rows from ``out[pos]`` on (or count them
    when ``out`` is empty); returns the new position. The document is followed by the
    end-of-line word ``eos`` (fastText's ``</s>``); every word, known or not, takes part in
    the word n-grams (``Dictionary::addWordNgrams``)."""
    write = out.shape[0] > 0
    n = stop - start + 1
    for i in range(n):
        t = ids[start + i] if i < n - 1 else eos
        for j in range(type_ptr[t], type_ptr[t + 1]):
            if write:
                out[pos] = type_rows[j]
            pos += 1
    if word_ngrams > 1 and buckets > 0:
        for i in range(n):
            t = ids[start + i] if i < n - 1 else eos
            h = _widened(type_hash[t])
            for j in range(i + 1, min(n, i + word_ngrams)):
                u = ids[start + j] if j < n - 1 else eos
                h = h * _NGRAM_PRIME + _widened(type_hash[u])
                row = _ngram_row(h, buckets, first_bucket_row, bucket_map)
                if row >= 0:
                    if write:
                        out[pos] = np.int32(row)
                    pos += 1
    return pos


@njit(cache=True)
def count_input_rows(ids, indptr, eos, type_ptr, type_rows, type_hash, word_ngrams, buckets,
                     first_bucket_row, bucket_map):  # fmt: skip
    """Number of input rows of each document (see :func:`fill_input_rows`)."""
    n_docs = indptr.shape[0] - 1
    counts = np.empty(n_docs, dtype=np.int64)
    none = np.empty(0, dtype=np.int32)
    for d in range(n_docs):
        counts[d] = _document_rows(ids, indptr[d], indptr[d + 1], eos, type_ptr, type_rows,
                                   type_hash, word_ngrams, buckets, first_bucket_row,
                                   bucket_map, none, 0)  # fmt: skip
    return counts


@njit(cache=True)
def fill_input_rows(ids, indptr, eos, type_ptr, type_rows, type_hash, word_ngrams, buckets,
                    first_bucket_row, bucket_map, out_ptr, out):  # fmt: skip
    """Each document's input rows into ``out[out_ptr[d]:out_ptr[d + 1]]``: for each word
    (``ids`` are word types) and then ``eos``, the type's rows ``type_rows[type_ptr[t]:
    type_ptr[t + 1]]`` (its own row when it is in the vocabulary, then its character
    n-grams' rows); then one row per word n-gram of 2 to ``word_ngrams`` words, hashed
    as fastText does into ``buckets`` rows from ``first_bucket_row`` (through
    ``bucket_map`` for a pruned model: bucket -> index, -1 = dropped; empty otherwise)."""
    for d in range(indptr.shape[0] - 1):
        _document_rows(ids, indptr[d], indptr[d + 1], eos, type_ptr, type_rows, type_hash,
                       word_ngrams, buckets, first_bucket_row, bucket_map, out,
                       out_ptr[d])  # fmt: skip


@njit(cache=True)
def type_hashes(blob, starts, ends):
    """fastText's 32-bit hash of each word ``blob[starts[w]:ends[w]]`` (``int64``)."""
    out = np.empty(starts.shape[0], dtype=np.int64)
    for w in range(starts.shape[0]):
        h = _FNV_OFFSET
        for i in range(starts[w], ends[w]):
            h = _mix(h, np.int64(blob[i]))
        out[w] = np.int64(h)
    return out
