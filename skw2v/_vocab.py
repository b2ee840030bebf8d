"""Vocabulary: counting, ``min_count`` pruning, frequency order, subsampling and noise tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._corpus import EncodedCorpus, ProvisionalCorpus

#: Probabilities are stored as 32-bit fixed-point thresholds: ``p`` becomes ``p * 2**32``.
_ONE = 1 << 32


@dataclass(frozen=True)
class Vocabulary:
    """Words in descending frequency (ties keep their order of first appearance)."""

    words: list[str]
    counts: np.ndarray  # int64, aligned with ``words``

    @property
    def total(self) -> int:
        """Number of corpus tokens covered by the vocabulary."""
        return int(self.counts.sum())

    def __len__(self) -> int:
        return len(self.words)


def build_vocabulary(
    types: list[str], corpus: ProvisionalCorpus, min_count: int
) -> tuple[Vocabulary, EncodedCorpus]:
    """Prune types below ``min_count``, sort by frequency and re-encode the corpus.

    ``corpus`` holds provisional ids (indices into ``types``); the returned corpus holds
    ``int32`` rows of the returned vocabulary, with pruned words removed from the documents.
    The provisional chunks are consumed (freed one by one) while the result is filled.
    """
    counts = np.zeros(len(types), dtype=np.int64)
    for chunk in corpus.chunks:
        counts += np.bincount(chunk, minlength=len(types))
    kept = np.flatnonzero(counts >= min_count)
    if kept.shape[0] == 0:
        raise ValueError(
            f"No word occurs at least min_count={min_count} times (the most frequent occurs "
            f"{int(counts.max(initial=0))} times). Lower min_count or pass more documents."
        )
    order = kept[np.argsort(-counts[kept], kind="stable")]
    new_id = np.full(len(types), -1, dtype=np.int32)
    new_id[order] = np.arange(order.shape[0], dtype=np.int32)

    n_documents = corpus.indptr.shape[0] - 1
    ids = np.empty(int(counts[order].sum()), dtype=np.int32)
    dropped_per_doc = np.zeros(n_documents, dtype=np.int64)
    filled = offset = 0
    while corpus.chunks:
        chunk = new_id[corpus.chunks.pop(0)]
        known = chunk >= 0
        kept_ids = chunk[known]
        ids[filled : filled + kept_ids.shape[0]] = kept_ids
        filled += kept_ids.shape[0]
        dropped_at = np.flatnonzero(~known) + offset
        if dropped_at.shape[0]:
            document = np.searchsorted(corpus.indptr, dropped_at, side="right") - 1
            dropped_per_doc += np.bincount(document, minlength=n_documents)
        offset += chunk.shape[0]
    indptr = corpus.indptr.copy()
    indptr[1:] -= np.cumsum(dropped_per_doc)
    vocabulary = Vocabulary(words=[types[i] for i in order], counts=counts[order])
    return vocabulary, EncodedCorpus(ids=ids, indptr=indptr)


def keep_thresholds(counts: np.ndarray, sample: float) -> np.ndarray:
    """Subsampling thresholds: word ``w`` is kept when ``u32 < thresholds[w]``.

    The keep-probability is word2vec.c's ``sqrt(t / f) + t / f`` with ``f`` the word's
    relative frequency and ``t = sample``, capped at 1; ``sample = 0`` keeps every word.
    """
    if sample <= 0:
        return np.full(counts.shape[0], _ONE, dtype=np.uint64)
    ratio = sample * counts.sum() / counts.astype(np.float64)
    keep = np.minimum(np.sqrt(ratio) + ratio, 1.0)
    return np.minimum(np.floor(keep * _ONE), _ONE).astype(np.uint64)


def alias_table(counts: np.ndarray, exponent: float) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table for the noise distribution ``counts ** exponent`` (normalised).

    Sampling is O(1) and exact to 32-bit resolution whatever the vocabulary size: draw a
    column ``k`` uniformly, then keep ``k`` when a uniform ``u32 < thresholds[k]``, else take
    ``aliases[k]``. Returns ``(thresholds uint64, aliases int32)``.
    """
    n = counts.shape[0]
    weights = np.power(counts.astype(np.float64), exponent)
    scaled = weights * (n / weights.sum())
    thresholds = np.ones(n, dtype=np.float64)
    aliases = np.arange(n, dtype=np.int32)
    small = [i for i in np.flatnonzero(scaled < 1.0)]
    large = [i for i in np.flatnonzero(scaled >= 1.0)]
    while small and large:
        s = small.pop()
        g = large[-1]
        thresholds[s] = scaled[s]
        aliases[s] = g
        scaled[g] -= 1.0 - scaled[s]
        if scaled[g] < 1.0:
            large.pop()
            small.append(g)
    # Whatever is left is 1 up to rounding error.
    return np.minimum(np.floor(thresholds * _ONE), _ONE).astype(np.uint64), aliases
