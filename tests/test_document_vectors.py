"""Pooling, weighting, empty-document policy, analyzers, caching and pandas output, through
the public transformers."""

import inspect

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from skw2v import Word2VecTransformer, WordVectors, WordVectorsTransformer

WORDS = ["the", "cat", "sat", "on", "mat", "dog"]
VECTORS = np.array(
    [[0.1, 0.2, 0.0], [1.0, -1.0, 0.5], [0.3, 0.3, -2.0], [-0.5, 0.0, 0.1], [2.0, 1.0, 1.0],
     [0.0, -0.7, 0.4]], dtype=np.float32,
)  # fmt: skip
COUNTS = np.array([50, 10, 8, 6, 4, 2])
DOCS = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog"], ["cat", "cat", "unknown"],
        ["unknown"], ["dog", "sat", "on", "the", "mat", "the"]]  # fmt: skip


@pytest.fixture
def wv():
    return WordVectors(VECTORS, WORDS, COUNTS)


def rows(doc):
    return np.array([VECTORS[WORDS.index(w)] for w in doc if w in WORDS]).reshape(-1, 3)


def test_mean_sum_and_max(wv):
    for pooling, reduce in [("mean", np.mean), ("sum", np.sum), ("max", np.max)]:
        out = WordVectorsTransformer(wv, pooling=pooling).fit().transform(DOCS)
        for i, doc in enumerate(DOCS):
            expected = reduce(rows(doc), axis=0) if rows(doc).size else np.zeros(3)
            np.testing.assert_allclose(out[i], expected, rtol=1e-6, atol=1e-7)


def test_tfidf_is_an_idf_weighted_mean_with_scikit_learns_smooth_idf(wv):
    model = WordVectorsTransformer(wv, pooling="tfidf").fit(DOCS)
    known = [[w for w in doc if w in WORDS] for doc in DOCS]
    df = np.array([sum(w in doc for doc in known) for w in WORDS])
    idf = np.log((1 + len(DOCS)) / (1 + df)) + 1
    np.testing.assert_allclose(model.word_weights_, idf, rtol=1e-6)
    tfidf = TfidfVectorizer(analyzer=lambda d: d).fit(known)
    np.testing.assert_allclose([tfidf.idf_[tfidf.vocabulary_[w]] for w in WORDS], idf, rtol=1e-6)
    out = model.transform(DOCS)
    for i, doc in enumerate(known):
        if doc:
            weights = np.array([idf[WORDS.index(w)] for w in doc])
            expected = (weights[:, None] * rows(doc)).sum(axis=0) / weights.sum()
            np.testing.assert_allclose(out[i], expected, rtol=1e-5)


def test_sif_weights_average_and_removes_the_stored_principal_component(wv):
    model = WordVectorsTransformer(wv, pooling="sif", sif_alpha=0.05).fit(DOCS)
    p = COUNTS / COUNTS.sum()
    weights = 0.05 / (0.05 + p)
    np.testing.assert_allclose(model.word_weights_, weights, rtol=1e-6)

    def averaged(docs):
        out = np.zeros((len(docs), 3))
        for i, doc in enumerate(docs):
            known = [w for w in doc if w in WORDS]
            if known:
                w = np.array([weights[WORDS.index(t)] for t in known])
                out[i] = (w[:, None] * rows(known)).sum(axis=0) / len(known)
        return out

    fit_matrix = averaged(DOCS)
    u = np.linalg.svd(fit_matrix, full_matrices=False)[2][0]
    np.testing.assert_allclose(abs(model.sif_component_ @ u), 1.0, rtol=1e-5)
    new_docs = [["cat", "dog", "dog"], ["mat", "on"]]  # transform uses the stored component
    expected = averaged(new_docs) - np.outer(averaged(new_docs) @ u, u)
    np.testing.assert_allclose(model.transform(new_docs), expected, rtol=1e-4, atol=1e-6)


def test_sif_takes_frequencies_from_the_documents_when_the_vectors_have_no_counts():
    bare = WordVectors(VECTORS, WORDS)  # counts unknown (0), e.g. a word2vec file
    model = WordVectorsTransformer(bare, pooling="sif").fit(DOCS)
    counts = np.array([sum(doc.count(w) for doc in DOCS) for w in WORDS])
    np.testing.assert_allclose(model.word_weights_, 1e-3 / (1e-3 + counts / counts.sum()),
                               rtol=1e-6)  # fmt: skip


@pytest.mark.parametrize("pooling", ["tfidf", "sif"])
def test_poolings_that_learn_need_documents_in_fit(wv, pooling):
    with pytest.raises(ValueError, match="learns word statistics from the documents"):
        WordVectorsTransformer(wv, pooling=pooling).fit()


def test_normalize_gives_unit_rows_and_keeps_empty_rows_zero(wv):
    out = WordVectorsTransformer(wv, normalize=True).fit().transform(DOCS)
    norms = np.linalg.norm(out, axis=1)
    np.testing.assert_allclose(norms[[0, 1, 2, 4]], 1.0, rtol=1e-6)
    assert norms[3] == 0.0


def test_empty_document_policies(wv):
    assert not WordVectorsTransformer(wv).fit().transform(DOCS)[3].any()
    nan = WordVectorsTransformer(wv, empty="nan").fit().transform(DOCS)
    assert np.isnan(nan[3]).all() and not np.isnan(nan[[0, 1, 2, 4]]).any()
    with pytest.raises(
        ValueError, match=r"Document 3 has no word in the vocabulary .*empty='error'"
    ):
        WordVectorsTransformer(wv, empty="error").fit().transform(DOCS)


def test_changing_pooling_after_fit_requires_a_refit(wv):
    model = WordVectorsTransformer(wv).fit()
    model.set_params(pooling="max")
    with pytest.raises(ValueError, match="call fit again"):
        model.transform(DOCS)


def test_word_analyzer_tokenizes_like_count_vectorizer(wv):
    texts = ["The cat sat on the MAT.", "the dog!", "Cat, cat... unknown", "unknown", "x"]
    analyze = CountVectorizer().build_analyzer()
    expected = WordVectorsTransformer(wv).fit().transform([analyze(t) for t in texts])
    out = WordVectorsTransformer(wv, analyzer="word").fit().transform(texts)
    np.testing.assert_array_equal(out, expected)
    out = WordVectorsTransformer(wv, analyzer=str.split).fit().transform(["cat dog", "mat"])
    np.testing.assert_allclose(out, [(VECTORS[1] + VECTORS[5]) / 2, VECTORS[4]], rtol=1e-6)


def test_analyzer_mismatches_get_errors_that_name_analyzer(wv):
    # the default analyzer tokenizes raw strings as analyzer="word" does
    np.testing.assert_array_equal(
        WordVectorsTransformer(wv).fit().transform(["the cat sat"]),
        WordVectorsTransformer(wv, analyzer="word").fit().transform(["the cat sat"]),
    )
    with pytest.raises(TypeError, match=r"analyzer='word' tokenizes raw text.*analyzer=None"):
        WordVectorsTransformer(wv, analyzer="word").fit().transform([["the", "cat"]])
    with pytest.raises(ValueError, match="analyzer"):
        WordVectorsTransformer(wv, analyzer="char").fit()


def test_word2vec_transformer_trains_on_raw_text(kjv):
    texts = kjv.text[:3000]
    model = Word2VecTransformer(vector_size=16, min_count=3, epochs=1, n_jobs=1,
                                random_state=0, analyzer="word").fit(texts)  # fmt: skip
    assert "god" in model.wv_ and "God" not in model.wv_
    assert model.transform(texts[:5]).shape == (5, 16)


def test_set_output_pandas_uses_feature_names_and_follows_the_index(wv):
    pd = pytest.importorskip("pandas")
    model = WordVectorsTransformer(wv).set_output(transform="pandas").fit()
    series = pd.Series(DOCS, index=[f"doc{i}" for i in range(len(DOCS))])
    frame = model.transform(series)
    assert list(frame.columns) == [f"wordvectorstransformer{i}" for i in range(3)]
    assert list(frame.index) == list(series.index)
    np.testing.assert_array_equal(
        frame.to_numpy(), WordVectorsTransformer(wv).fit().transform(DOCS)
    )
    assert list(model.transform(DOCS).index) == list(range(len(DOCS)))


def test_grid_search_over_pooling_trains_the_embedding_once_per_fold(kjv_docs, tmp_path,
                                                                       monkeypatch):  # fmt: skip
    from skw2v._training import driver as _training

    calls = []
    original = _training.train_epochs

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(_training, "train_epochs", counting)
    X, y = kjv_docs
    pipe = make_pipeline(
        Word2VecTransformer(vector_size=16, min_count=2, epochs=2, n_jobs=1, random_state=0,
                            memory=str(tmp_path)),
        LogisticRegression(max_iter=300),
    )  # fmt: skip
    grid = {"word2vectransformer__pooling": ["mean", "tfidf", "sif"],
            "logisticregression__C": [0.1, 1, 10]}  # fmt: skip
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    search = GridSearchCV(pipe, grid, cv=cv, refit=False).fit(X, y)
    assert len(search.cv_results_["params"]) == 9
    assert len(calls) == 3
    assert search.best_score_ > 0.6  # majority class 0.59; the folds did learn something
    # and without memory, every one of the 27 fits trains
    calls.clear()
    pipe.set_params(word2vectransformer__memory=None)
    GridSearchCV(pipe, grid, cv=cv, refit=False).fit(X, y)
    assert len(calls) == 27


def test_cached_training_is_identical_to_training(kjv_docs, tmp_path):
    docs, _ = kjv_docs
    params = dict(vector_size=8, min_count=2, epochs=1, n_jobs=1, random_state=0)
    plain = Word2VecTransformer(**params).fit(docs).wv_.vectors
    first = Word2VecTransformer(**params, memory=str(tmp_path)).fit(docs).wv_.vectors
    second = Word2VecTransformer(**params, memory=str(tmp_path), pooling="max").fit(docs)
    np.testing.assert_array_equal(plain, first)
    np.testing.assert_array_equal(plain, second.wv_.vectors)
    other = Word2VecTransformer(**{**params, "window": 2}, memory=str(tmp_path)).fit(docs)
    assert not np.array_equal(plain, other.wv_.vectors)
    changed_docs = Word2VecTransformer(**params, memory=str(tmp_path)).fit(docs[:-1])
    assert not np.array_equal(plain, changed_docs.wv_.vectors)


def test_the_cache_key_is_every_parameter_but_the_documented_few():
    model = Word2VecTransformer()
    key = model._training_parameters()
    assert set(key) == set(model.get_params()) - Word2VecTransformer._non_training_parameters
    # the parameters left out only change threads, printing, caching, storage or pooling
    assert Word2VecTransformer._non_training_parameters == {
        "n_jobs", "verbose", "memory", "vectors", "pooling", "sif_alpha", "normalize", "empty",
        "analyzer", "corpus_storage", "temp_folder",
    }  # fmt: skip


class _Smoothed(Word2VecTransformer):
    """A subclass with one more training parameter, written as users write them."""

    def __init__(self, *, smoothing=1.0, **params):
        super().__init__(**params)
        self.smoothing = smoothing


_base = inspect.signature(Word2VecTransformer.__init__)
_Smoothed.__init__.__signature__ = _base.replace(
    parameters=[*_base.parameters.values(),
                inspect.Parameter("smoothing", inspect.Parameter.KEYWORD_ONLY, default=1.0)]
)  # fmt: skip


def test_a_parameter_a_subclass_adds_is_part_of_the_cache_key(kjv_docs, tmp_path, monkeypatch):
    from skw2v._training import driver as _training

    assert _Smoothed(smoothing=2.0)._training_parameters()["smoothing"] == 2.0
    assert (
        _Smoothed(smoothing=1.0)._training_parameters()
        != _Smoothed(smoothing=2.0)._training_parameters()
    )
    calls = []
    original = _training.train_epochs
    monkeypatch.setattr(_training, "train_epochs",
                        lambda *a, **k: calls.append(1) or original(*a, **k))  # fmt: skip
    docs = kjv_docs[0][:300]
    params = dict(vector_size=8, min_count=2, epochs=1, n_jobs=1, random_state=0,
                  memory=str(tmp_path))  # fmt: skip
    _Smoothed(smoothing=1.0, **params).fit(docs)
    _Smoothed(smoothing=1.0, **{**params, "n_jobs": 2, "pooling": "max"}).fit(docs)  # cached
    assert len(calls) == 1
    _Smoothed(smoothing=2.0, **params).fit(docs)  # a new key: trains again
    assert len(calls) == 2
