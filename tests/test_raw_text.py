"""Raw text works by default (as with TfidfVectorizer): a document that is a string is
tokenized by the word analyzer, token lists pass as they are, and a mix is an error."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skw2v import (
    Doc2VecTransformer,
    FastTextClassifier,
    Word2VecTransformer,
    WordVectorsTransformer,
)
from skw2v._training.corpus import word_analyzer

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def texts(kjv):
    order = np.random.RandomState(0).permutation(len(kjv.data))[:1500]
    return [kjv.text[i] for i in order], np.asarray(kjv.testament)[order]


def _estimators(wv):
    return [
        Word2VecTransformer(vector_size=16, epochs=1, n_jobs=1, random_state=0),
        Doc2VecTransformer(vector_size=16, epochs=2, n_jobs=1, random_state=0),
        WordVectorsTransformer(wv),
    ]


@pytest.mark.parametrize("index", range(3))
def test_default_parameters_take_raw_strings_and_a_series(texts, fitted, index):
    raw, _ = texts
    model = _estimators(fitted.wv_)[index]
    tokenized = [word_analyzer()(text) for text in raw]
    from_text = model.fit(raw).transform(raw[:20])
    from_series = model.fit(pd.Series(raw)).transform(pd.Series(raw[:20]))
    from_tokens = model.fit(tokenized).transform(tokenized[:20])
    np.testing.assert_array_equal(from_text, from_tokens)
    np.testing.assert_array_equal(from_series, from_tokens)


def test_a_pipeline_on_raw_text_with_defaults(texts):
    raw, y = texts
    pipe = make_pipeline(Word2VecTransformer(n_jobs=1, random_state=0),
                         LogisticRegression(max_iter=1000))  # fmt: skip
    assert pipe.fit(raw[:1000], y[:1000]).score(raw[1000:], y[1000:]) > 0.7
    clf = FastTextClassifier(n_jobs=1, random_state=0).fit(pd.Series(raw[:1000]), y[:1000])
    assert clf.score(raw[1000:], y[1000:]) > 0.7


def test_a_mix_of_raw_strings_and_token_lists_is_an_error(fitted):
    with pytest.raises(TypeError, match=r"Document 2 of X is a list .* raw strings"):
        fitted.transform(["in the beginning", "god said", ["light"]])
    with pytest.raises(TypeError, match=r"Document 1 of X is a str .* token lists"):
        Word2VecTransformer().fit(iter([["a", "b"], "c d"]))


def test_a_one_shot_generator_of_raw_strings_is_read_once(texts):
    raw, _ = texts
    model = Word2VecTransformer(vector_size=8, epochs=1, n_jobs=1, random_state=0)
    out = model.fit_transform(text for text in raw)
    assert out.shape == (len(raw), 8)


@pytest.mark.parametrize("Estimator, attribute", [
    (Word2VecTransformer, "wv_"), (Doc2VecTransformer, "document_vectors_"),
    (FastTextClassifier, "classes_"),
])  # fmt: skip
def test_fitted_attributes_before_fit_raise_not_fitted(Estimator, attribute):
    with pytest.raises(NotFittedError, match=f"{attribute} is set by fit"):
        getattr(Estimator(), attribute)
    assert not hasattr(Estimator(), attribute)
    with pytest.raises(AttributeError, match="no attribute 'not_a_thing'"):
        Estimator().not_a_thing  # noqa: B018
