"""Vocabulary: counting, ``min_count`` pruning, frequency order, subsampling and noise tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._io.storage import CorpusStorage, indptr_after_drops
from .._kernels.vocabulary import huffman_heap, remap_ids
from .corpus import EncodedCorpus, ProvisionalCorpus

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
    types: list[str],
    corpus: ProvisionalCorpus,
    min_count: int,
    rare: dict | None = None,
    storage: CorpusStorage | None = None,
) -> tuple[Vocabulary, EncodedCorpus]:
    """Prune types below ``min_count``, sort by frequency and re-encode the corpus.

    ``corpus`` holds provisional ids (indices into ``types``); the returned corpus holds
    ``int32`` rows of the returned vocabulary, with pruned words removed from the documents.
    The provisional chunks are consumed (freed one by one) while the result is filled.
    When ``rare`` is a dict, it receives the counts of the pruned words.
    """
    counts = type_counts(corpus, len(types))
    kept = np.flatnonzero(counts >= min_count)
    if kept.shape[0] == 0:
        raise ValueError(
            f"No word occurs at least min_count={min_count} times (the most frequent occurs "
            f"{int(counts.max(initial=0))} times). Lower min_count or pass more documents."
        )
    order = kept[np.argsort(-counts[kept], kind="stable")]
    if rare is not None:
        pruned = np.flatnonzero((counts < min_count) & (counts > 0))
        rare.update(zip((types[i] for i in pruned), counts[pruned].tolist()))
    new_id = np.full(len(types), -1, dtype=np.int32)
    new_id[order] = np.arange(order.shape[0], dtype=np.int32)
    corpus = remap_corpus(corpus, new_id, int(counts[order].sum()), storage)
    vocabulary = Vocabulary(words=[types[i] for i in order], counts=counts[order])
    return vocabulary, corpus


def type_counts(corpus: ProvisionalCorpus, n_types: int) -> np.ndarray:
    """Occurrences of each provisional id."""
    counts = np.zeros(n_types, dtype=np.int64)
    for chunk in corpus.chunks:
        counts += np.bincount(chunk, minlength=n_types)
    return counts


def remap_corpus(
    corpus: ProvisionalCorpus,
    new_id: np.ndarray,
    n_kept: int,
    storage: CorpusStorage | None = None,
) -> EncodedCorpus:
    """Re-encode provisional ids with ``new_id`` (-1 drops the token), consuming the chunks.

    ``n_kept`` is the number of tokens that stay; the result is filled in place while the
    provisional chunks are freed one by one. Work per chunk is proportional to the chunk
    (and to the documents it spans), and the corpus-sized results come from ``storage``.
    """
    storage = storage or CorpusStorage()
    n_documents = corpus.indptr.shape[0] - 1
    ids = storage.empty("ids", n_kept, np.int32)
    dropped_per_doc = storage.zeros("dropped", n_documents, np.int64)
    filled = offset = document = 0
    while corpus.chunks:
        chunk = corpus.chunks.pop(0)
        filled, document = remap_ids(chunk, new_id, ids, filled, offset, corpus.indptr,
                                     document, dropped_per_doc)  # fmt: skip
        offset += chunk.shape[0]
    indptr = storage.empty("indptr", n_documents + 1, np.int64)
    indptr_after_drops(corpus.indptr, dropped_per_doc, indptr)
    return EncodedCorpus(ids=ids, indptr=indptr)


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
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        weights = np.power(counts.astype(np.float64), exponent)
    total = weights.sum()
    if not np.isfinite(total) or total <= 0 or not np.all(np.isfinite(weights)):
        # An extreme exponent over- or underflows: the same distribution in log space.
        log_weights = exponent * np.log(np.maximum(counts, 1).astype(np.float64))
        weights = np.exp(log_weights - log_weights.max())
        total = weights.sum()
    scaled = weights * (n / total)
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


def alias_probabilities(thresholds: np.ndarray, aliases: np.ndarray) -> np.ndarray:
    """The probability of each word under an alias table from :func:`alias_table`: its own
    column's share plus the shares it receives as an alias."""
    n = thresholds.shape[0]
    own = thresholds.astype(np.float64) / _ONE
    probability = own.copy()
    np.add.at(probability, aliases, 1.0 - own)
    return probability / n


@dataclass(frozen=True)
class HuffmanCodes:
    """Binary Huffman tree over the vocabulary, as arrays for the kernels.

    Word ``w``'s path from the root has ``lengths[w]`` inner nodes ``points[w, :len]``
    (rows of the output matrix, ``0 .. n_words - 2``) and branch bits ``codes[w, :len]``.
    """

    codes: np.ndarray  # uint8 (n_words, max_length)
    points: np.ndarray  # int32 (n_words, max_length)
    lengths: np.ndarray  # int32 (n_words,)


def two_queue_huffman_codes(counts: np.ndarray) -> HuffmanCodes:
    """word2vec.c's and fastText's Huffman coding of ``counts`` (sorted in descending
    order); the classifier's label tree, as fastText builds it.

    The two-queue construction is linear: leaves are taken from the tail of the sorted
    counts, new inner nodes from a second queue, always the two smallest first.
    """
    n = counts.shape[0]
    if n < 2:
        return HuffmanCodes(np.zeros((n, 1), np.uint8), np.zeros((n, 1), np.int32),
                            np.zeros(n, np.int32))  # fmt: skip
    weight = np.concatenate([counts.astype(np.int64), np.zeros(n - 1, np.int64)])
    parent = np.zeros(2 * n - 1, dtype=np.int64)
    bit = np.zeros(2 * n - 1, dtype=np.uint8)
    leaf, inner = n - 1, n  # next leaf (from the smallest) and next unused inner node
    for node in range(n, 2 * n - 1):
        children = []
        for _ in range(2):
            if leaf >= 0 and (inner >= node or weight[leaf] < weight[inner]):
                children.append(leaf)
                leaf -= 1
            else:
                children.append(inner)
                inner += 1
        weight[node] = weight[children[0]] + weight[children[1]]
        parent[children[0]] = parent[children[1]] = node
        bit[children[1]] = 1
    return _tree_codes(parent, bit, np.arange(n))


def huffman_codes(counts: np.ndarray) -> HuffmanCodes:
    """The Huffman coding of ``counts`` (sorted in descending order) that gensim builds.

    Optimal codes are not unique where counts tie, and which one is used matters on small
    corpora: on the first 100,000 lines of the benchmark corpus, skip-gram with
    hierarchical softmax (exact mode, 4 seeds) scored analogy 0.0536 with word2vec.c's
    two-queue tree and 0.0592 with gensim's, the kernel unchanged
    (``benchmarks/huffman_trees.py``; docs/benchmarks.md).
    So the tree is gensim's: its vocabulary lists equal counts in reverse order of first
    appearance (ours in order of first appearance), and its binary heap breaks ties by
    the heap's layout (:func:`huffman_heap`, a port of CPython's ``heapq``).
    """
    n = counts.shape[0]
    if n < 2:
        return HuffmanCodes(np.zeros((n, 1), np.uint8), np.zeros((n, 1), np.int32),
                            np.zeros(n, np.int32))  # fmt: skip
    # gensim's order: descending counts, equal counts in reverse order of ours
    rank_to_word = np.lexsort((-np.arange(n), -counts.astype(np.int64)))
    weight = np.zeros(2 * n - 1, dtype=np.int64)
    weight[:n] = counts[rank_to_word]
    parent, bit = huffman_heap(weight, n)
    return _tree_codes(parent, bit, rank_to_word)


def _tree_codes(parent: np.ndarray, bit: np.ndarray, rank_to_word: np.ndarray) -> HuffmanCodes:
    """Each word's path from a tree of ``n`` leaves (leaf ``r`` is word ``rank_to_word[r]``)
    and ``n - 1`` inner nodes, numbered after the leaves in the order they were made, the
    root last: ``parent`` and branch ``bit`` per node."""
    n = rank_to_word.shape[0]
    root = 2 * n - 2
    depth = np.zeros(2 * n - 1, dtype=np.int32)
    for node in range(root - 1, -1, -1):  # parents come after their children
        depth[node] = depth[parent[node]] + 1
    max_length = int(depth[:n].max())
    codes = np.zeros((n, max_length), dtype=np.uint8)
    points = np.zeros((n, max_length), dtype=np.int32)
    for rank in range(n):
        word = rank_to_word[rank]
        node, position = rank, depth[rank] - 1
        while node != root:
            codes[word, position] = bit[node]
            points[word, position] = parent[node] - n  # inner node -> output row
            node = parent[node]
            position -= 1
    lengths = np.empty(n, dtype=np.int32)
    lengths[rank_to_word] = depth[:n]
    return HuffmanCodes(codes, points, lengths)


def grow_vocabulary(
    vocabulary: Vocabulary,
    rare_counts: dict[str, int],
    types: list[str],
    corpus: ProvisionalCorpus,
    min_count: int,
    storage: CorpusStorage | None = None,
) -> tuple[Vocabulary, EncodedCorpus, dict[str, int], int]:
    """Add a new batch's counts to a vocabulary, for incremental training.

    Existing words keep their rows and gain the batch's counts. Words outside the
    vocabulary accumulate in ``rare_counts`` (not modified: a new dict is returned); those
    that now reach ``min_count`` are appended as new rows, most frequent first. Returns
    the grown vocabulary, the batch encoded with it, the new rare counts and the number
    of new rows.
    """
    batch = type_counts(corpus, len(types))
    row_of = {word: row for row, word in enumerate(vocabulary.words)}
    counts = vocabulary.counts.copy()
    rare = dict(rare_counts)
    new_id = np.full(len(types), -1, dtype=np.int32)
    candidates: list[tuple[int, int]] = []
    for type_id, (word, count) in enumerate(zip(types, batch.tolist())):
        row = row_of.get(word)
        if row is not None:
            counts[row] += count
            new_id[type_id] = row
        else:
            total = rare.get(word, 0) + count
            if total >= min_count:
                candidates.append((type_id, total))
                rare.pop(word, None)
            else:
                rare[word] = total
    candidates.sort(key=lambda item: -item[1])
    words = list(vocabulary.words)
    for offset, (type_id, _) in enumerate(candidates):
        new_id[type_id] = len(words) + offset
    words += [types[type_id] for type_id, _ in candidates]
    counts = np.concatenate([counts, np.array([t for _, t in candidates], dtype=np.int64)])
    n_kept = int(batch[new_id >= 0].sum())
    encoded = remap_corpus(corpus, new_id, n_kept, storage)
    return Vocabulary(words=words, counts=counts), encoded, rare, len(candidates)
