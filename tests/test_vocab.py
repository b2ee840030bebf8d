import numpy as np
import pytest

from skw2v._training.corpus import count_and_encode
from skw2v._training.vocab import (
    alias_probabilities,
    alias_table,
    build_vocabulary,
    keep_thresholds,
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
