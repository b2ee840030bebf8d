import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_checks

from skw2v import (
    Doc2VecTransformer,
    FastTextClassifier,
    Word2VecTransformer,
    WordVectorsTransformer,
)

DATA_FREE_CHECKS = [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_parameters_default_constructible",
    "check_estimator_repr",
    "check_estimator_cloneable",
]


ESTIMATORS = [Word2VecTransformer, WordVectorsTransformer, Doc2VecTransformer, FastTextClassifier]


@pytest.mark.parametrize("check", DATA_FREE_CHECKS)
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_data_free_estimator_checks(Estimator, check):
    getattr(estimator_checks, check)(Estimator.__name__, Estimator())


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_tags_declare_string_input(Estimator):
    tags = Estimator().__sklearn_tags__()
    assert tags.input_tags.string is True
    assert tags.input_tags.two_d_array is False
    assert tags.requires_fit is True
    assert tags.transformer_tags is not None


def test_unfitted_transformer_raises_not_fitted(kjv_docs):
    docs, _ = kjv_docs
    with pytest.raises(NotFittedError):
        Word2VecTransformer().transform(docs[:3])
    with pytest.raises(NotFittedError):
        Word2VecTransformer().get_feature_names_out()


def test_fit_is_idempotent(kjv_docs):
    docs, _ = kjv_docs
    model = Word2VecTransformer(vector_size=8, min_count=2, epochs=1, n_jobs=1, random_state=0)
    first = model.fit(docs).transform(docs[:50])
    second = model.fit(docs).transform(docs[:50])
    np.testing.assert_array_equal(first, second)


def test_clone_gives_an_unfitted_copy_with_the_same_params(fitted):
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "wv_")
    with pytest.raises(NotFittedError):
        copy.transform([["god"]])


@pytest.mark.parametrize("dumps, loads", [(pickle.dumps, pickle.loads), ("joblib", "joblib")])
def test_pickle_round_trip_gives_identical_transform(fitted, kjv_docs, tmp_path, dumps, loads):
    docs, _ = kjv_docs
    if dumps == "joblib":
        joblib.dump(fitted, tmp_path / "model.joblib")
        restored = joblib.load(tmp_path / "model.joblib")
    else:
        restored = loads(dumps(fitted))
    np.testing.assert_array_equal(restored.transform(docs[:200]), fitted.transform(docs[:200]))
    assert restored.wv_.most_similar("god", topn=3) == fitted.wv_.most_similar("god", topn=3)


def test_get_feature_names_out(fitted):
    names = fitted.get_feature_names_out()
    assert names.tolist() == [f"word2vectransformer{i}" for i in range(32)]


def test_params_are_not_modified_by_fit(kjv_docs):
    docs, _ = kjv_docs
    model = Word2VecTransformer(
        vector_size=8, min_count=2, epochs=1, n_jobs=None, random_state=None
    )
    params = model.get_params()
    model.fit(docs[:100])
    assert model.get_params() == params


def test_pipeline_under_grid_search_and_cross_val_score(kjv_docs):
    X, y = kjv_docs  # Genesis vs Matthew verses; the majority class is 0.59
    pipe = make_pipeline(
        Word2VecTransformer(min_count=2, epochs=8, alpha=0.05, n_jobs=1, random_state=0),
        LogisticRegression(max_iter=500),
    )
    grid = {"word2vectransformer__window": [2, 5], "word2vectransformer__vector_size": [16, 32]}
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    search = GridSearchCV(pipe, grid, cv=cv).fit(X, y)
    assert set(search.cv_results_["param_word2vectransformer__window"]) == {2, 5}
    assert set(search.cv_results_["param_word2vectransformer__vector_size"]) == {16, 32}
    assert search.best_score_ > 0.75
    assert search.best_estimator_.predict(X[:5]).shape == (5,)
    scores = cross_val_score(pipe, X, y, cv=cv)
    assert scores.shape == (3,) and scores.mean() > 0.75


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_html_representation_links_to_the_api_page(Estimator):
    url = Estimator()._get_doc_link()
    assert url.endswith(f"/generated/skw2v.{Estimator.__name__}.html")
    assert url in Estimator()._repr_html_()
