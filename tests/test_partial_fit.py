import numpy as np
import pytest

from skw2v import Word2VecTransformer

PARAMS = dict(vector_size=16, min_count=3, epochs=2, n_jobs=1, random_state=0)


def batches(kjv):
    genesis = [d for d, b in zip(kjv.data, kjv.book) if b == "Genesis"]
    matthew = [d for d, b in zip(kjv.data, kjv.book) if b == "Matthew"]
    return genesis, matthew


def test_first_call_is_fit(kjv):
    genesis, _ = batches(kjv)
    a = Word2VecTransformer(**PARAMS).partial_fit(genesis)
    b = Word2VecTransformer(**PARAMS).fit(genesis)
    np.testing.assert_array_equal(a.wv_.vectors, b.wv_.vectors)
    assert a.n_batches_ == 1 and a.rare_word_counts_ and min(a.rare_word_counts_.values()) >= 1
    assert max(a.rare_word_counts_.values()) < PARAMS["min_count"]


def test_later_batches_grow_the_vocabulary_and_keep_existing_rows(kjv):
    genesis, matthew = batches(kjv)
    model = Word2VecTransformer(**PARAMS).partial_fit(genesis)
    assert "jesus" not in model.wv_
    before_words = list(model.wv_.index_to_key)
    before_counts = model.wv_.counts.copy()
    before_god = model.wv_["god"].copy()
    model.partial_fit(matthew)
    wv = model.wv_
    assert "jesus" in wv  # absent from Genesis, frequent in Matthew
    assert wv.index_to_key[: len(before_words)] == before_words  # rows kept in place
    added = wv.index_to_key[len(before_words) :]
    assert "jesus" in added and model.vocabulary_["jesus"] >= len(before_words)
    assert np.all(np.diff(wv.counts[len(before_words) :]) <= 0)  # new rows by frequency
    god = before_words.index("god")
    expected = before_counts[god] + sum(doc.count("god") for doc in matthew)
    assert wv.counts[god] == expected
    assert not np.array_equal(wv["god"], before_god)  # existing vectors keep training
    assert model.n_batches_ == 2
    assert model.transform([["jesus", "christ"]]).any()
    assert len(model.loss_history_) == PARAMS["epochs"]  # of the latest batch


def test_rare_words_are_remembered_until_they_reach_min_count():
    model = Word2VecTransformer(vector_size=4, min_count=3, epochs=1, n_jobs=1, random_state=0)
    model.partial_fit([["a", "a", "a", "b"]])
    assert "b" not in model.wv_
    model.partial_fit([["a", "b"]])
    assert "b" not in model.wv_ and model.rare_word_counts_ == {"b": 2}
    model.partial_fit([["b", "a"]])
    assert "b" in model.wv_ and "b" not in model.rare_word_counts_
    assert model.wv_.counts[model.vocabulary_["b"]] == 3


def test_partial_fit_is_reproducible_with_one_thread(kjv):
    genesis, matthew = batches(kjv)
    a = Word2VecTransformer(**PARAMS).partial_fit(genesis).partial_fit(matthew)
    b = Word2VecTransformer(**PARAMS).partial_fit(genesis).partial_fit(matthew)
    np.testing.assert_array_equal(a.wv_.vectors, b.wv_.vectors)


def test_partial_fit_refuses_hierarchical_softmax(kjv):
    genesis, _ = batches(kjv)
    with pytest.raises(ValueError, match="partial_fit needs objective='negative_sampling'"):
        Word2VecTransformer(**PARAMS, objective="hierarchical_softmax").partial_fit(genesis)


def test_partial_fit_with_input_plus_output_vectors(kjv):
    genesis, matthew = batches(kjv)
    model = Word2VecTransformer(**PARAMS, vectors="input+output").partial_fit(genesis)
    model.partial_fit(matthew)
    np.testing.assert_allclose(model.wv_.vectors, model.input_vectors_ + model.output_vectors_)
