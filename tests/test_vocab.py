import heapq

import numpy as np
import pytest

from skw2v._training.corpus import count_and_encode
from skw2v._training.vocab import (
    alias_probabilities,
    alias_table,
    build_vocabulary,
    huffman_codes,
    keep_thresholds,
    two_queue_huffman_codes,
)


def test_vocabulary_is_pruned_and_sorted_by_descending_count_ties_by_first_appearance():
    docs = [["rare", "b", "a", "b", "c"], ["a", "b", "c", "a", "d", "d"]]
    vocabulary, corpus = build_vocabulary(*count_and_encode(docs), min_count=2)
    assert vocabulary.words == ["b", "a", "c", "d"]
    assert vocabulary.counts.tolist() == [3, 3, 2, 2]
    assert vocabulary.total == 10
    decoded = [vocabulary.words[i] for i in corpus.ids]
    assert decoded == ["b", "a", "b", "c", "a", "b", "c", "a", "d", "d"]
    assert corpus.indptr.tolist() == [0, 4, 10]


def test_keep_probability_is_word2vec_formula_capped_at_one():
    counts = np.array([1000, 100, 10, 1])
    sample = 1e-2
    frequency = counts / counts.sum()
    expected = np.minimum(np.sqrt(sample / frequency) + sample / frequency, 1.0)
    assert np.allclose(keep_thresholds(counts, sample) / 2**32, expected, atol=1e-9)
    assert (keep_thresholds(counts, 0.0) == 2**32).all()


@pytest.mark.parametrize("exponent", [0.75, 0.0, 1.0, -0.5])
def test_alias_table_encodes_the_noise_distribution_exactly(exponent):
    rng = np.random.default_rng(0)
    counts = rng.integers(1, 10_000, size=500)
    implied = alias_probabilities(*alias_table(counts, exponent))
    target = counts.astype(float) ** exponent
    target /= target.sum()
    assert np.allclose(implied, target, rtol=1e-6, atol=1e-9)


def _random_counts(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    # many ties, as in a real vocabulary's tail
    return np.sort(np.minimum(rng.zipf(1.3, 3000), 500) + 4)[::-1].astype(np.int64)


def _expected_length(tree, counts: np.ndarray) -> float:
    return float((tree.lengths * counts).sum())


def _optimal_length(counts: np.ndarray) -> float:
    """Huffman's bound: the sum of all merged weights (independent of tie-breaking)."""
    heap = counts.tolist()
    heapq.heapify(heap)
    total = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        total += merged
        heapq.heappush(heap, merged)
    return float(total)


@pytest.mark.parametrize("seed", [0, 1])
def test_huffman_tree_is_gensims_for_the_same_counts(seed):
    # gensim (test extra) is the oracle. Words are added to it in our vocabulary's order
    # (the order of first appearance); it lists equal counts in the reverse order.
    from gensim.models import Word2Vec

    counts = _random_counts(seed)
    words = [f"w{i}" for i in range(counts.shape[0])]
    model = Word2Vec(vector_size=4, min_count=1, hs=1, negative=0)
    model.build_vocab_from_freq(dict(zip(words, counts.tolist())))
    tied = [w for w in model.wv.index_to_key if model.wv.get_vecattr(w, "count") == 5]
    assert tied == sorted(tied, key=lambda w: -int(w[1:]))
    ours = huffman_codes(counts)
    for i in range(counts.shape[0]):
        word = model.wv.index_to_key[i]
        w = words.index(word)
        length = ours.lengths[w]
        assert np.array_equal(ours.codes[w, :length], model.wv.get_vecattr(word, "code"))
        assert np.array_equal(ours.points[w, :length], model.wv.get_vecattr(word, "point"))


@pytest.mark.parametrize("build", [huffman_codes, two_queue_huffman_codes])
def test_huffman_trees_are_optimal_prefix_codes(build):
    counts = _random_counts(2)
    tree = build(counts)
    codes = {tuple(tree.codes[w, : tree.lengths[w]]) for w in range(counts.shape[0])}
    assert len(codes) == counts.shape[0]  # distinct
    ordered = sorted(codes, key=len)
    prefixes = {c[:k] for c in ordered for k in range(1, len(c))}
    assert not prefixes & codes  # prefix-free
    assert _expected_length(tree, counts) == _optimal_length(counts)
    # every inner node (output row) is used, the root on every path
    assert set(tree.points[:, 0]) == {counts.shape[0] - 2}
