"""The classifier's data: each document's input rows (its words, their character
n-grams, its word n-grams, as fastText's ``Dictionary::getLine`` builds them), its
labels, and the vocabulary they come from.

Documents arrive encoded by word *type* (each distinct token once, in order of first
appearance); everything per type (vocabulary row, hash, character n-grams) is computed
once per type in numba, and each document's rows are written by a numba kernel, so no
Python runs per token.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._kernels import classifier as kernels
from .._kernels.subwords import EOS, count_ngrams, fill_rows, word_blob
from .corpus import EncodedCorpus, GrowingLookup, encode
from .vocab import Vocabulary


@dataclass(frozen=True)
class InputSpec:
    """What turns words into input rows: the vocabulary (``words``, row ``i`` for
    ``words[i]``), the n-gram buckets after it (``buckets`` rows; 0 without word n-grams
    or subwords), ``word_ngrams``, ``subwords`` (``(min_n, max_n)`` or ``None``) and
    ``bucket_map``: bucket -> its row among the bucket rows (after the words'), -1 for a
    dropped n-gram (a pruned Facebook model); empty when each bucket has its own row. A
    trained classifier keeps only the buckets its training documents use, and maps the
    others to one zero row (see :func:`compact_buckets`)."""

    words: list[str]
    buckets: int
    word_ngrams: int
    subwords: tuple[int, int] | None
    bucket_map: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    index: dict = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.index is None:
            object.__setattr__(self, "index", {word: i for i, word in enumerate(self.words)})

    @property
    def n_words(self) -> int:
        return len(self.words)

    @property
    def bucket_rows(self) -> int:
        """Rows after the words' (the kept buckets of a pruned model)."""
        if self.bucket_map.shape[0]:
            return int(self.bucket_map.max(initial=-1)) + 1
        return self.buckets

    @property
    def n_rows(self) -> int:
        return self.n_words + self.bucket_rows


def compact_buckets(corpus: EncodedCorpus, n_words: int, buckets: int):
    """Keep only the bucket rows ``corpus`` uses: ``(corpus with those rows renumbered
    after the words' rows, bucket_map, n_used)``. The unused buckets map to one extra row, which
    stays zero: a new document's unseen n-gram then counts in its mean as a zero row, as
    fastText's never-trained row would (fastText's are random, not zero), and the model
    holds ``n_used + 1`` bucket rows instead of millions (800 MB at 2M x 100)."""
    ids = corpus.ids
    is_bucket = ids >= n_words
    used = np.zeros(buckets, dtype=bool)
    used[ids[is_bucket] - n_words] = True
    n_used = int(used.sum())
    bucket_map = np.full(buckets, n_used, dtype=np.int32)
    bucket_map[used] = np.arange(n_used, dtype=np.int32)
    renumbered = ids.copy()
    renumbered[is_bucket] = n_words + bucket_map[ids[is_bucket] - n_words]
    return EncodedCorpus(ids=renumbered, indptr=corpus.indptr), bucket_map, n_used


def uses_buckets(word_ngrams: int, subwords: tuple[int, int] | None) -> bool:
    """Whether n-gram bucket rows exist (fastText drops them without word n-grams and
    without character n-grams)."""
    return word_ngrams > 1 or subwords is not None


def _type_rows(types: list[str], spec: InputSpec) -> tuple[np.ndarray, np.ndarray]:
    """CSR (``ptr`` int64, ``rows`` int32) of each type's rows: its vocabulary row, then
    (with subwords) its character n-grams' rows; the end-of-line word has no n-grams."""
    own = np.fromiter((spec.index.get(word, -1) for word in types), dtype=np.int64,
                      count=len(types))  # fmt: skip
    if spec.subwords is None:
        counts = (own >= 0).astype(np.int64)
        ptr = np.zeros(len(types) + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        return ptr, own[own >= 0].astype(np.int32)
    min_n, max_n = spec.subwords
    blob, starts, ends = word_blob(types)
    skip = types.index(EOS) if EOS in types else -1
    counts = count_ngrams(blob, starts, ends, min_n, max_n, skip) + (own >= 0)
    ptr = np.zeros(len(types) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    rows = np.empty(int(ptr[-1]), dtype=np.int32)
    fill_rows(blob, starts, ends, min_n, max_n, spec.buckets, spec.n_words, own, ptr, rows)
    if spec.bucket_map.shape[0]:
        rows, ptr = _pruned(rows, ptr, spec)
    return ptr, rows


def _pruned(rows: np.ndarray, ptr: np.ndarray, spec: InputSpec) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a pruned model: bucket rows mapped to the kept buckets' rows, dropped ones
    removed."""
    is_bucket = rows >= spec.n_words
    mapped = rows.astype(np.int64)
    mapped[is_bucket] = spec.bucket_map[rows[is_bucket] - spec.n_words]
    keep = ~is_bucket | (mapped >= 0)
    mapped[is_bucket] += spec.n_words
    owner = np.repeat(np.arange(ptr.shape[0] - 1), np.diff(ptr))
    new_ptr = np.zeros_like(ptr)
    np.cumsum(np.bincount(owner[keep], minlength=ptr.shape[0] - 1), out=new_ptr[1:])
    return mapped[keep].astype(np.int32), new_ptr


def input_rows(types: list[str], corpus: EncodedCorpus, spec: InputSpec) -> EncodedCorpus:
    """Each document's input rows; ``corpus`` holds indices into ``types`` (every token,
    known or not). Each document is followed by fastText's end-of-line word ``</s>``."""
    types = list(types)
    if EOS in types:
        eos = types.index(EOS)
    else:
        eos = len(types)
        types.append(EOS)
    type_ptr, type_rows = _type_rows(types, spec)
    if spec.word_ngrams > 1 and spec.buckets > 0:
        type_hash = kernels.type_hashes(*word_blob(types))
    else:
        type_hash = np.zeros(len(types), dtype=np.int64)
    args = (corpus.ids, corpus.indptr, eos, type_ptr, type_rows, type_hash,
            spec.word_ngrams, spec.buckets, spec.n_words, spec.bucket_map)  # fmt: skip
    counts = kernels.count_input_rows(*args)
    indptr = np.zeros(corpus.n_documents + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    ids = np.empty(int(indptr[-1]), dtype=np.int32)
    kernels.fill_input_rows(*args, indptr, ids)
    return EncodedCorpus(ids=ids, indptr=indptr)


def encode_input_rows(documents, spec: InputSpec, *, name: str = "X") -> EncodedCorpus:
    """Encode token lists into input rows with a fitted vocabulary (``predict``,
    ``transform``): each distinct token is looked up and hashed once."""
    lookup = GrowingLookup({})
    by_type = encode(documents, lookup, name=name)
    return input_rows(lookup.unseen, by_type, spec)


def label_order(counts: np.ndarray) -> np.ndarray:
    """fastText's order of the labels: by count, most frequent first (ties: in class
    order). Output row (or Huffman leaf) ``l`` is class ``order[l]``."""
    return np.argsort(-counts, kind="stable")


def label_vocabulary(classes: list[str], counts: np.ndarray) -> Vocabulary:
    """The labels as the driver's sampling tables take them (names and counts, in output
    row order): noise for negative sampling, the Huffman tree for hierarchical softmax."""
    return Vocabulary(words=list(classes), counts=np.asarray(counts, dtype=np.int64))


def _gather(indptr: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the CSR items of documents ``order`` (in that order) and the new
    ``indptr``, vectorised."""
    lengths = np.diff(indptr)[order]
    new_indptr = np.zeros(order.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_indptr[1:])
    shift = np.repeat(indptr[:-1][order] - new_indptr[:-1], lengths)
    return np.arange(int(new_indptr[-1]), dtype=np.int64) + shift, new_indptr


def shuffled(data, order: np.ndarray):
    """``data`` (a ``driver.ClassifierData``) with its documents in ``order``."""
    from dataclasses import replace

    positions, indptr = _gather(data.corpus.indptr, order)
    label_positions, label_ptr = _gather(data.label_ptr, order)
    corpus = EncodedCorpus(ids=data.corpus.ids[positions], indptr=indptr)
    return replace(data, corpus=corpus, label_ptr=label_ptr, labels=data.labels[label_positions],
                   weights=data.weights[order])  # fmt: skip
