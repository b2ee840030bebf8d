import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skw2v import Word2VecTransformer, WordVectors, WordVectorsTransformer


def test_pools_exactly_like_the_training_transformer(fitted, kjv_docs, tmp_path):
    docs, _ = kjv_docs
    expected = fitted.transform(docs[:300])
    from_object = WordVectorsTransformer(fitted.wv_).fit(docs)
    np.testing.assert_array_equal(from_object.transform(docs[:300]), expected)
    fitted.wv_.save_word2vec_format(tmp_path / "v.bin", binary=True)
    from_file = WordVectorsTransformer(tmp_path / "v.bin", binary=True).fit()
    np.testing.assert_array_equal(from_file.transform(docs[:300]), expected)
    assert from_file.vocabulary_ == fitted.vocabulary_
    assert from_file.get_feature_names_out()[0] == "wordvectorstransformer0"


def test_loading_happens_in_fit_and_limit_applies(fitted, tmp_path):
    path = tmp_path / "v.txt"
    model = WordVectorsTransformer(path, limit=10)  # the file does not exist yet: fine
    with pytest.raises(NotFittedError):
        model.transform([["god"]])
    fitted.wv_.save_word2vec_format(path)
    assert len(model.fit().wv_) == 10
    assert len(WordVectorsTransformer(fitted.wv_, limit=10).fit().wv_) == 10
    with pytest.raises(FileNotFoundError):
        WordVectorsTransformer(tmp_path / "missing.txt").fit()


def test_invalid_parameters_are_rejected_in_fit():
    for params in ({"vectors": 3}, {"vectors": "x", "limit": 0}, {"vectors": "x", "binary": 2}):
        with pytest.raises(ValueError, match="parameter of WordVectorsTransformer"):
            WordVectorsTransformer(**params).fit()


def test_clone_and_pickle(fitted, kjv_docs, tmp_path):
    docs, _ = kjv_docs
    fitted.wv_.save_word2vec_format(tmp_path / "v.txt")
    model = WordVectorsTransformer(str(tmp_path / "v.txt")).fit()
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "wv_")
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.transform(docs[:50]), model.transform(docs[:50]))


def test_the_callers_word_vectors_are_not_modified(fitted):
    wv = fitted.wv_
    before = wv.vectors.copy()
    WordVectorsTransformer(wv, limit=5).fit().transform([["god", "said"]])
    np.testing.assert_array_equal(wv.vectors, before)
    assert len(wv) > 5


@pytest.fixture(scope="module")
def well_trained(kjv_docs):
    docs, _ = kjv_docs
    return Word2VecTransformer(vector_size=32, min_count=2, epochs=8, alpha=0.05, n_jobs=1,
                               random_state=0).fit(docs)  # fmt: skip


def test_frozen_vectors_in_a_classification_pipeline(well_trained, kjv_docs):
    docs, books = kjv_docs  # Genesis vs Matthew; the majority class is 0.59
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    for featurizer in (WordVectorsTransformer(well_trained.wv_), FrozenEstimator(well_trained)):
        pipe = make_pipeline(featurizer, LogisticRegression(max_iter=500))
        assert cross_val_score(pipe, docs, books, cv=cv).mean() > 0.75
    # FrozenEstimator never refits the embedding
    vectors = well_trained.wv_.vectors.copy()
    pipe = make_pipeline(FrozenEstimator(well_trained), LogisticRegression(max_iter=200))
    pipe.fit(docs[::20], books[::20])
    np.testing.assert_array_equal(well_trained.wv_.vectors, vectors)


def test_word_vectors_from_either_transformer_are_interchangeable(kjv_docs):
    docs, _ = kjv_docs
    trained = Word2VecTransformer(vector_size=8, min_count=2, epochs=1, n_jobs=1,
                                  random_state=0).fit(docs[:200])  # fmt: skip
    wv = WordVectors(trained.wv_.vectors, trained.wv_.index_to_key, trained.wv_.counts)
    np.testing.assert_array_equal(
        WordVectorsTransformer(wv).fit().transform(docs[:20]), trained.transform(docs[:20])
    )
