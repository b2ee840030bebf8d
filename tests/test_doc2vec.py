"""Doc2VecTransformer: paragraph vectors, deterministic inference, scikit-learn citizenship,
bad input and tampered state."""

import copy
import itertools
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Doc2VecTransformer, WordVectors
from skw2v._kernels import words as _kernels
from skw2v._state import InconsistentStateError
from skw2v._training import driver as _training
from skw2v._training.corpus import EncodedCorpus
from skw2v._training.inference import document_chunks

SMALL = dict(vector_size=16, min_count=2, epochs=20, n_jobs=1, random_state=0)
# On these 2,604 short verses (Genesis or Matthew) paragraph vectors are weak features:
# 3-fold accuracy with 20 epochs was 0.75 (PV-DBOW) and 0.77 (PV-DM), gensim's Doc2Vec
# 0.72 and 0.78 with the same parameters; TF-IDF does far better. The majority is 0.59.
SEPARATES = 0.68


def cosines(a, b):
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def centred(X):
    """Without the component every document shares (large for PV-DBOW on a small corpus)."""
    return X - X.mean(axis=0)


@pytest.fixture(scope="module", params=["dbow", "dm"])
def fitted(request, kjv_docs):
    docs, _ = kjv_docs
    return Doc2VecTransformer(mode=request.param, **SMALL).fit(docs)


# ----------------------------------------------------------------------- what it learns
@pytest.mark.parametrize("mode", ["dbow", "dm"])
def test_inferred_vectors_separate_two_books(kjv_docs, mode):
    docs, books = kjv_docs
    pipe = make_pipeline(Doc2VecTransformer(mode=mode, **SMALL), StandardScaler(),
                         LogisticRegression(max_iter=500))  # fmt: skip
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    assert cross_val_score(pipe, docs, books, cv=cv).mean() > SEPARATES


def test_inferred_vectors_of_training_documents_are_near_their_trained_vectors(fitted, kjv_docs):
    docs, _ = kjv_docs
    inferred = fitted.transform(docs)
    trained = fitted.document_vectors_
    keep = np.linalg.norm(trained, axis=1) > 0
    inferred, trained = centred(inferred[keep]), centred(trained[keep])
    similarity = cosines(inferred, trained)
    unrelated = cosines(inferred, np.roll(trained, 1, axis=0))
    assert np.median(similarity) > 0.6
    assert np.median(similarity) > np.median(unrelated) + 0.4


def test_document_vectors_follow_training_order(kjv_docs):
    docs, _ = kjv_docs
    model = Doc2VecTransformer(**SMALL).fit(docs[:300])
    assert model.document_vectors_.shape == (300, 16)
    assert model.document_vectors_.dtype == np.float32
    # a document's inferred vector finds its own trained vector among 300 far more often
    # than chance (1/300; many of these early Genesis verses are near repeats)
    inferred = centred(model.transform(docs[:300]))
    trained = centred(model.document_vectors_)
    scores = inferred @ (trained / np.linalg.norm(trained, axis=1)[:, None]).T
    assert np.mean(scores.argmax(axis=1) == np.arange(300)) > 0.2


def test_training_reports_loss_and_effective_words(fitted):
    assert len(fitted.loss_history_) == fitted.epochs
    assert fitted.loss_history_[-1] < fitted.loss_history_[0]
    assert all(0 < n <= fitted.n_training_words_ for n in fitted.effective_words_)
    assert fitted.training_seconds_ > 0


@pytest.mark.parametrize(
    "params, has_words",
    [({"mode": "dbow"}, False), ({"mode": "dbow", "train_words": True}, True),
     ({"mode": "dbow", "train_words": True, "shared_negatives": False}, True),
     ({"mode": "dm"}, True)],
)  # fmt: skip
def test_word_vectors_exist_when_words_are_trained(kjv_docs, params, has_words):
    docs, _ = kjv_docs
    model = Doc2VecTransformer(**{**SMALL, "epochs": 8, **params}).fit(docs)
    assert hasattr(model, "wv_") is has_words
    if has_words:
        assert isinstance(model.wv_, WordVectors)
        assert list(model.wv_.index_to_key) == list(model.vocabulary_)
        neighbours = [word for word, _ in model.wv_.most_similar("jesus", topn=20)]
        assert {"christ", "disciples", "peter", "he", "him"} & set(neighbours)


def test_refit_without_words_drops_old_word_vectors(kjv_docs):
    docs, _ = kjv_docs
    model = Doc2VecTransformer(mode="dm", **SMALL).fit(docs[:200])
    assert hasattr(model, "wv_")
    model.set_params(mode="dbow").fit(docs[:200])
    assert not hasattr(model, "wv_")


@pytest.mark.parametrize("mode", ["dbow", "dm"])
def test_hierarchical_softmax(kjv_docs, mode):
    docs, books = kjv_docs
    model = Doc2VecTransformer(mode=mode, objective="hierarchical_softmax", **SMALL)
    X = model.fit_transform(docs)
    assert model.output_vectors_.shape == (len(model.vocabulary_) - 1, 16)
    assert np.isfinite(X).all() and np.abs(X).max() > 0
    X = StandardScaler().fit_transform(X)
    score = LogisticRegression(max_iter=500).fit(X[::2], books[::2]).score(X[1::2], books[1::2])
    assert score > SEPARATES


# ------------------------------------------------------------------ deterministic inference
def test_inference_does_not_depend_on_batch_position_or_threads(fitted, kjv_docs):
    docs, _ = kjv_docs
    batch = docs[:400]
    alone = np.vstack([fitted.transform([doc]) for doc in batch[:20]])
    together = fitted.transform(batch)
    reversed_ = fitted.transform(batch[::-1])[::-1]
    threaded = copy.deepcopy(fitted).set_params(n_jobs=2)
    np.testing.assert_array_equal(alone, together[:20])
    np.testing.assert_array_equal(together, reversed_)
    np.testing.assert_array_equal(threaded.transform(batch), together)


def test_equal_documents_get_equal_vectors(fitted, kjv_docs):
    docs, _ = kjv_docs
    X = fitted.transform([docs[5], docs[9], docs[5]])
    np.testing.assert_array_equal(X[0], X[2])
    assert not np.array_equal(X[0], X[1])


def test_random_state_changes_inference_a_little(fitted, kjv_docs):
    docs, _ = kjv_docs
    first = fitted.transform(docs[:300])
    other = copy.deepcopy(fitted).set_params(random_state=1)
    second = other.transform(docs[:300])
    assert not np.array_equal(first, second)
    assert np.median(cosines(first, second)) > 0.8


def test_random_state_instance_draws_anew_per_call(kjv_docs):
    docs, _ = kjv_docs
    model = Doc2VecTransformer(**{**SMALL, "random_state": np.random.RandomState(0)})
    model.fit(docs[:300])
    assert not np.array_equal(model.transform(docs[:5]), model.transform(docs[:5]))


def test_unseeded_inference_is_deterministic(kjv_docs):
    docs, _ = kjv_docs
    model = Doc2VecTransformer(**{**SMALL, "random_state": None}).fit(docs[:300])
    np.testing.assert_array_equal(model.transform(docs[:50]), model.transform(docs[:50]))


def test_fit_transform_equals_fit_then_transform(kjv_docs):
    docs, _ = kjv_docs
    params = {**SMALL, "mode": "dm"}
    np.testing.assert_array_equal(
        Doc2VecTransformer(**params).fit_transform(iter(docs[:500])),
        Doc2VecTransformer(**params).fit(docs[:500]).transform(docs[:500]),
    )


def test_inference_parameters_may_change_after_fit(fitted, kjv_docs):
    docs, _ = kjv_docs
    before = fitted.transform(docs[:50])
    longer = copy.deepcopy(fitted).set_params(infer_epochs=fitted.epochs * 3)
    assert not np.array_equal(longer.transform(docs[:50]), before)
    np.testing.assert_array_equal(fitted.transform(docs[:50]), before)


def test_documents_without_known_words_get_zeros(kjv_docs):
    docs, _ = kjv_docs
    model = Doc2VecTransformer(**SMALL).fit([*docs[:300], ["zzz-unknown"], []])
    np.testing.assert_array_equal(model.document_vectors_[-2:], 0.0)
    X = model.transform([[], ["never-seen", "words"], docs[0]])
    np.testing.assert_array_equal(X[:2], 0.0)
    assert np.abs(X[2]).max() > 0


@pytest.mark.parametrize("mode", ["dbow", "dm"])
def test_documents_longer_than_a_segment(mode):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(50)]
    long_doc = [words[i] for i in rng.integers(0, 50, size=2 * _kernels.MAX_SEGMENT + 77)]
    docs = [long_doc, long_doc[:40], long_doc[100:180]]
    model = Doc2VecTransformer(mode=mode, **{**SMALL, "epochs": 2}).fit(docs)
    assert np.isfinite(model.document_vectors_).all()
    X = model.transform(docs)
    assert np.isfinite(X).all() and (np.abs(X).max(axis=1) > 0).all()


def test_work_plan_maps_every_segment_to_its_document():
    lengths = np.array([3, 0, 25, 10, 1])
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    corpus = EncodedCorpus(ids=np.zeros(indptr[-1], dtype=np.int32), indptr=indptr)
    plan = _training.plan_work(corpus, max_segment=10, chunk_tokens=8, documents=True)
    for start, stop, doc in zip(plan.seg_start, plan.seg_end, plan.seg_doc):
        assert indptr[doc] <= start <= stop <= indptr[doc + 1] and stop - start <= 10
    covered = sorted((int(s), int(e)) for s, e in zip(plan.seg_start, plan.seg_end) if e > s)
    assert covered[0][0] == 0 and covered[-1][1] == indptr[-1]
    assert all(a[1] == b[0] for a, b in itertools.pairwise(covered))


def test_inference_chunks_never_split_a_document():
    indptr = np.array([0, 5, 5, 4000, 4001, 9000, 9500], dtype=np.int64)
    doc_ptr = document_chunks(indptr, chunk_tokens=2000)
    assert doc_ptr[0] == 0 and doc_ptr[-1] == 6 and (np.diff(doc_ptr) > 0).all()


# --------------------------------------------------------------------- scikit-learn citizen
def test_pipeline_under_grid_search(kjv_docs):
    X, y = kjv_docs
    pipe = make_pipeline(Doc2VecTransformer(**SMALL), StandardScaler(),
                         LogisticRegression(max_iter=500))  # fmt: skip
    grid = {"doc2vectransformer__mode": ["dbow", "dm"]}
    cv = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    search = GridSearchCV(pipe, grid, cv=cv).fit(X, y)
    assert set(search.cv_results_["param_doc2vectransformer__mode"]) == {"dbow", "dm"}
    assert search.best_score_ > SEPARATES


def test_clone_and_unfitted_errors(fitted):
    copy_ = clone(fitted)
    assert copy_.get_params() == fitted.get_params()
    with pytest.raises(NotFittedError):
        copy_.transform([["god"]])
    with pytest.raises(NotFittedError):
        copy_.get_feature_names_out()


def test_feature_names_and_pandas_output(fitted, kjv_docs):
    docs, _ = kjv_docs
    names = fitted.get_feature_names_out()
    assert names.tolist() == [f"doc2vectransformer{i}" for i in range(16)]
    pytest.importorskip("pandas")
    frame = copy.deepcopy(fitted).set_output(transform="pandas").transform(docs[:4])
    assert list(frame.columns) == names.tolist() and frame.shape == (4, 16)


def test_pickle_joblib_and_skops_round_trips(fitted, kjv_docs, tmp_path):
    docs, _ = kjv_docs
    expected = fitted.transform(docs[:100])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(fitted)).transform(docs[:100]),
                                  expected)  # fmt: skip
    joblib.dump(fitted, tmp_path / "m.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "m.joblib").transform(docs[:100]),
                                  expected)  # fmt: skip
    sio = pytest.importorskip("skops.io")
    sio.dump(fitted, tmp_path / "m.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "m.skops")
    assert set(untrusted) <= {"skw2v._doc2vec.Doc2VecTransformer", "skw2v._vectors.WordVectors"}
    restored = sio.load(tmp_path / "m.skops", trusted=untrusted)
    np.testing.assert_array_equal(restored.transform(docs[:100]), expected)


def test_params_and_input_are_not_modified(kjv_docs):
    docs, _ = kjv_docs
    X = copy.deepcopy(docs[:200])
    model = Doc2VecTransformer(**{**SMALL, "random_state": None, "n_jobs": None})
    params = model.get_params()
    model.fit_transform(X)
    assert model.get_params() == params
    assert X == docs[:200]


def test_raw_text_with_analyzer():
    texts = ["The cat sat on the mat.", "The dog sat on the log!"] * 30
    model = Doc2VecTransformer(**{**SMALL, "min_count": 1}, analyzer="word").fit(texts)
    assert "cat" in model.vocabulary_ and "The" not in model.vocabulary_
    assert model.transform(texts[:2]).shape == (2, 16)


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "X, error, message",
    [(None, TypeError, "X is None"), ("one string", TypeError, "single string"),
     ([["a", 1]] * 5, TypeError, "str"), ([[]] * 3, ValueError, "empty")],
)  # fmt: skip
def test_bad_input_gets_a_clear_error(X, error, message):
    with pytest.raises(error, match=message):
        Doc2VecTransformer(min_count=1).fit(X)


@pytest.mark.parametrize(
    "params, message",
    [({"min_alpha": 0.5}, "min_alpha"), ({"negative": 0}, "negative"),
     ({"mode": "pv"}, "mode"), ({"infer_epochs": 0}, "infer_epochs")],
)  # fmt: skip
def test_bad_parameters_get_a_clear_error(kjv_docs, params, message):
    docs, _ = kjv_docs
    with pytest.raises(ValueError, match=message):
        Doc2VecTransformer(**{**SMALL, **params}).fit(docs[:50])


def test_bad_transform_input_gets_a_clear_error(fitted):
    with pytest.raises(TypeError, match="str"):
        fitted.transform([["god", 3]])


# ------------------------------------------------------------------------- tampered state
def _wrong_output_rows(m):
    m.output_vectors_ = m.output_vectors_[:-1]


def _vocabulary_out_of_range(m):
    m.vocabulary_ = dict(m.vocabulary_)
    m.vocabulary_[next(iter(m.vocabulary_))] = 10**9


def _float64_documents(m):
    m.document_vectors_ = m.document_vectors_.astype(np.float64)


def _zero_count(m):
    m.word_counts_ = m.word_counts_.copy()
    m.word_counts_[0] = 0


@pytest.mark.parametrize(
    "tamper", [_wrong_output_rows, _vocabulary_out_of_range, _float64_documents, _zero_count]
)
def test_tampered_state_is_refused_on_load_and_before_the_kernel(fitted, tamper):
    broken = copy.deepcopy(fitted)
    tamper(broken)
    blob = pickle.dumps(broken)
    with pytest.raises(InconsistentStateError):
        pickle.loads(blob)
    with pytest.raises(InconsistentStateError):
        broken.transform([list(fitted.vocabulary_)[:5]])


def test_a_parameter_that_shapes_the_model_cannot_change_after_fit(kjv_docs):
    docs, _ = kjv_docs
    model = Doc2VecTransformer(**SMALL).fit(docs[:300])
    for change in ({"objective": "hierarchical_softmax"}, {"vector_size": 8}, {"mode": "dm"}):
        changed = copy.deepcopy(model).set_params(**change)
        with pytest.raises(InconsistentStateError, match="Fit it again"):
            changed.transform(docs[:3])


def test_table_parameters_changed_after_a_transform_take_effect(fitted, kjv_docs):
    docs, _ = kjv_docs
    model = copy.deepcopy(fitted)
    before = model.transform(docs[:50])  # builds and keeps the sampling tables
    np.testing.assert_array_equal(model.transform(docs[:50]), before)
    model.set_params(sample=0.0)
    assert not np.array_equal(model.transform(docs[:50]), before)
    model.set_params(sample=fitted.sample)
    np.testing.assert_array_equal(model.transform(docs[:50]), before)
    assert b"_tables_cache" not in pickle.dumps(model)


# -------------------------------------------------- the shared front-end: files, storage, memory
def test_a_grid_over_an_inference_parameter_trains_once_per_fold_with_memory(
    kjv_docs, tmp_path, monkeypatch
):
    calls = []
    original = _training.train_epochs
    monkeypatch.setattr(_training, "train_epochs",
                        lambda *a, **k: calls.append(1) or original(*a, **k))  # fmt: skip
    X, y = kjv_docs
    X, y = X[::4], y[::4]
    pipe = make_pipeline(
        Doc2VecTransformer(vector_size=8, min_count=2, epochs=2, n_jobs=1, random_state=0,
                           memory=str(tmp_path)),
        LogisticRegression(max_iter=300),
    )  # fmt: skip
    grid = {"doc2vectransformer__infer_epochs": [1, 2, 3, 4, 5, 6]}
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    search = GridSearchCV(pipe, grid, cv=cv, refit=False).fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    assert len(calls) == 3  # one training per fold, not 18
    calls.clear()
    pipe.set_params(doc2vectransformer__memory=None)
    GridSearchCV(pipe, grid, cv=cv, refit=False).fit(X, y)
    assert len(calls) == 18


def test_cached_paragraph_vectors_equal_trained_ones(kjv_docs, tmp_path):
    docs = [*kjv_docs[0][:300], ["zzz-unknown"]]
    params = dict(vector_size=8, min_count=2, epochs=2, n_jobs=1, random_state=0, mode="dm")
    plain = Doc2VecTransformer(**params).fit(docs)
    first = Doc2VecTransformer(**params, memory=str(tmp_path)).fit(docs)
    second = Doc2VecTransformer(**params, memory=str(tmp_path), infer_epochs=3).fit(docs)
    for model in (first, second):
        np.testing.assert_array_equal(model.document_vectors_, plain.document_vectors_)
        np.testing.assert_array_equal(model.wv_.vectors, plain.wv_.vectors)
        np.testing.assert_array_equal(model.output_vectors_, plain.output_vectors_)
    assert not second.document_vectors_[-1].any()  # the document without a known word
    assert Doc2VecTransformer._non_training_parameters == {
        "n_jobs", "verbose", "memory", "corpus_storage", "temp_folder", "analyzer",
        "infer_epochs",
    }  # fmt: skip


@pytest.mark.parametrize("storage", ["memory", "disk"])
def test_a_line_corpus_trains_the_same_vectors_as_token_lists(kjv_docs, tmp_path, storage,
                                                              monkeypatch):  # fmt: skip
    from skw2v import LineCorpus
    from skw2v._io import storage as _storage

    folders = []
    original = _storage.tempfile.mkdtemp
    monkeypatch.setattr(_storage.tempfile, "mkdtemp",
                        lambda **k: folders.append(original(**k)) or folders[-1])  # fmt: skip

    docs = kjv_docs[0][:400]
    path = tmp_path / "verses.txt"
    path.write_text("\n".join(" ".join(doc) for doc in docs) + "\n")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    params = dict(vector_size=8, min_count=2, epochs=2, n_jobs=1, random_state=0)
    listed = Doc2VecTransformer(**params).fit(docs)
    filed = Doc2VecTransformer(**params, corpus_storage=storage, temp_folder=scratch)
    filed.fit(LineCorpus(path))
    np.testing.assert_array_equal(filed.document_vectors_, listed.document_vectors_)
    np.testing.assert_array_equal(filed.output_vectors_, listed.output_vectors_)
    np.testing.assert_array_equal(filed.transform(LineCorpus(path)), listed.transform(docs))
    assert [Path(f).parent for f in folders] == ([scratch] if storage == "disk" else [])
    assert list(scratch.iterdir()) == []  # the disk storage's folder is gone
