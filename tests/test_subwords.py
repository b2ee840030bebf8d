"""Subword (fastText) vectors: n-gram hashing, training, unseen words, Facebook files.

gensim 4.4 (test extra) is the oracle for the hash, the n-grams and the ``.bin`` format.
"""

from __future__ import annotations

import pickle
import struct

import numpy as np
import pytest
from gensim.models.fasttext import FastText, ft_ngram_hashes, load_facebook_model
from gensim.models.fasttext import save_facebook_model as gensim_save
from gensim.models.fasttext_inner import ft_hash_bytes
from scipy import stats
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skw2v import (
    SubwordVectors,
    Word2VecTransformer,
    WordVectors,
    WordVectorsTransformer,
)
from skw2v._io.fasttext_format import read_facebook
from skw2v._kernels import words as _kernels
from skw2v._kernels.subwords import fasttext_hash, subword_rows
from skw2v._state import InconsistentStateError
from skw2v._training import driver as _training

WORDS = ["cat", "naïve", "日本語", "a", "über-long-wordé", "x", "", "ab\u0301c", "ÿ" * 9]
SMALL = dict(vector_size=12, min_count=1, buckets=500, epochs=3, n_jobs=1, random_state=0)


def corpus(seed: int = 0, n: int = 300) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    stems = ["walk", "talk", "jump", "play", "cook", "paint"]
    vocab = [s + e for s in stems for e in ("", "s", "ed", "ing")] + ["naïve", "日本"]
    return [[vocab[i] for i in rng.integers(0, len(vocab), 10)] for _ in range(n)]


@pytest.fixture(scope="module")
def model():
    return Word2VecTransformer(subwords=(3, 5), **SMALL).fit(corpus())


# ---------------------------------------------------------------------------- hashing
@pytest.mark.parametrize("word", WORDS)
def test_hash_and_ngram_buckets_match_fasttext_as_gensim_computes_them(word):
    raw = np.frombuffer(word.encode(), dtype=np.uint8)
    assert int(fasttext_hash(raw)) == ft_hash_bytes(word.encode())
    for min_n, max_n, buckets in ((3, 6, 2_000_000), (1, 2, 7), (2, 9, 1000)):
        _, rows = subword_rows([word], min_n, max_n, buckets)
        assert rows[0] == 0  # the word's own row first
        mine = sorted((rows[1:] - 1).tolist())
        assert mine == sorted(ft_ngram_hashes(word, min_n, max_n, buckets))


def test_end_of_sentence_word_has_no_ngrams_as_in_fasttext():
    ptr, rows = subword_rows(["</s>", "cat"], 3, 6, 100)
    assert ptr[1] - ptr[0] == 1 and rows[0] == 0
    assert ptr[2] - ptr[1] > 1


# ---------------------------------------------------------------------------- vectors
def test_vectors_are_means_of_word_and_ngram_rows():
    rng = np.random.default_rng(1)
    words = ["walk", "talk"]
    matrix = rng.normal(size=(2 + 50, 4)).astype(np.float32)
    wv = SubwordVectors(matrix, words, min_n=2, max_n=4)
    for i, word in enumerate(words):
        rows = [i] + [2 + h for h in ft_ngram_hashes(word, 2, 4, 50)]
        np.testing.assert_allclose(wv[word], matrix[rows].mean(axis=0), rtol=1e-6, atol=1e-7)
    unseen = [2 + h for h in ft_ngram_hashes("walked", 2, 4, 50)]
    np.testing.assert_allclose(wv["walked"], matrix[unseen].mean(axis=0), rtol=1e-6, atol=1e-7)
    assert "walked" not in wv and "walk" in wv
    assert wv.vectors_ngrams.shape == (50, 4) and wv.buckets == 50


def test_unseen_word_without_ngrams_is_a_key_error():
    wv = SubwordVectors(np.ones((1 + 10, 3)), ["word"], min_n=5, max_n=6)
    with pytest.raises(KeyError, match="no character n-gram"):
        wv["ab"]  # "<ab>" has 4 characters, fewer than min_n
    vectors, known = wv.unseen_vectors(["ab", "abcdef"])
    assert known.tolist() == [False, True] and not vectors[0].any()


def test_queries_accept_unseen_words(model):
    wv = model.wv_
    top = wv.most_similar("walkinng", topn=3)
    assert len(top) == 3 and all(word in wv for word, _ in top)
    assert -1.0 <= wv.similarity("walkinng", "walking") <= 1.0
    # the misspelling shares most n-grams with the word: its closest vocabulary word
    assert wv.similarity("walkinng", "walking") > wv.similarity("walkinng", "paint")


# ---------------------------------------------------------------------------- training
@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
@pytest.mark.parametrize("objective", ["negative_sampling", "hierarchical_softmax"])
@pytest.mark.parametrize("shared", [True, False])
def test_every_mode_trains_words_and_ngram_rows(architecture, objective, shared):
    params = dict(SMALL, architecture=architecture, objective=objective, shared_negatives=shared)
    fitted = Word2VecTransformer(subwords=(3, 5), **params).fit(corpus())
    wv = fitted.wv_
    assert isinstance(wv, SubwordVectors)
    assert fitted.input_vectors_ is wv.input_matrix
    assert fitted.input_vectors_.shape == (len(wv) + 500, 12)
    assert np.isfinite(fitted.input_vectors_).all()
    assert np.isfinite(fitted.loss_history_).all()
    # n-gram rows moved away from their initial range (+-1/12) where words use them
    used = np.unique(subword_rows(wv.index_to_key, 3, 5, 500)[1])
    used = used[used >= len(wv)]
    assert np.abs(fitted.input_vectors_[used]).max() > 1 / 12
    assert fitted.loss_history_[-1] < fitted.loss_history_[0]


def test_two_threads_train_subwords():
    fitted = Word2VecTransformer(subwords=(3, 5), **dict(SMALL, n_jobs=2)).fit(corpus(n=2000))
    assert np.isfinite(fitted.input_vectors_).all()


def test_same_seed_same_vectors_on_one_thread():
    a = Word2VecTransformer(subwords=(3, 5), **SMALL).fit(corpus())
    b = Word2VecTransformer(subwords=(3, 5), **SMALL).fit(corpus())
    np.testing.assert_array_equal(a.input_vectors_, b.input_vectors_)


def test_bucket_rows_start_uniform_in_gensims_range():
    out = np.empty((3000, 7), dtype=np.float32)
    _kernels.fill_uniform(out, 42, 1 / 7)
    assert out.min() >= -1 / 7 and out.max() < 1 / 7
    assert stats.kstest(out.ravel(), stats.uniform(loc=-1 / 7, scale=2 / 7).cdf).pvalue > 1e-3
    again = np.empty_like(out)
    _kernels.fill_uniform(again, 42, 1 / 7)
    np.testing.assert_array_equal(out, again)
    _kernels.fill_uniform(again, 43, 1 / 7)
    assert not np.array_equal(out, again)


def test_a_fit_starts_every_ngram_row_uniform(monkeypatch):
    monkeypatch.setattr(_training, "HUGE_PAGE_BYTES", 1024)  # the huge-page path too
    params = dict(SMALL, alpha=1e-12, min_alpha=0.0, epochs=1, buckets=5000)
    rows = Word2VecTransformer(subwords=(3, 5), **params).fit(corpus(n=5)).wv_.vectors_ngrams
    assert np.abs(rows).max() <= 1 / 12
    assert stats.kstest(rows.ravel(), stats.uniform(loc=-1 / 12, scale=2 / 12).cdf).pvalue > 1e-3


def test_large_matrices_are_ordinary_writable_arrays(monkeypatch):
    monkeypatch.setattr(_training, "HUGE_PAGE_BYTES", 1024)
    matrix = _training.empty_matrix(1000, 10)
    assert matrix.shape == (1000, 10) and matrix.dtype == np.float32
    assert matrix.flags.c_contiguous and matrix.flags.writeable
    matrix[:] = 1.0
    assert pickle.loads(pickle.dumps(matrix)).sum() == 10_000


# ---------------------------------------------------------------------------- transform
def test_transform_composes_unseen_words(model):
    wv = model.wv_
    docs = [["walking", "walkinng"], ["zzzq"], ["walking"]]
    X = model.transform(docs)
    expected = (wv["walking"] + wv["walkinng"]) / 2
    np.testing.assert_allclose(X[0], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(X[1], wv["zzzq"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(X[2], wv["walking"], rtol=1e-6)


def test_empty_policy_applies_only_without_any_ngram():
    fitted = Word2VecTransformer(subwords=(4, 5), empty="nan", **SMALL).fit(corpus())
    X = fitted.transform([["a"], ["abcde"], []])
    assert np.isnan(X[0]).all()  # "<a>" has 3 characters: no 4- or 5-gram
    assert np.isfinite(X[1]).all()
    assert np.isnan(X[2]).all()


def test_tfidf_pooling_weights_unseen_words_like_the_rarest_word():
    fitted = Word2VecTransformer(subwords=(3, 5), pooling="tfidf", **SMALL).fit(corpus())
    X = fitted.transform([["walking", "walkinng"]])
    w = fitted.word_weights_
    known = w[fitted.vocabulary_["walking"]]
    expected = (known * fitted.wv_["walking"] + w.max() * fitted.wv_["walkinng"]) / (
        known + w.max()
    )
    np.testing.assert_allclose(X[0], expected, rtol=1e-5, atol=1e-6)


def test_fit_transform_equals_fit_then_transform():
    docs = [*corpus(), ["walkinng", "rare"]]
    est = Word2VecTransformer(subwords=(3, 5), **SMALL)
    np.testing.assert_allclose(est.fit_transform(docs), clone(est).fit(docs).transform(docs))
    generated = Word2VecTransformer(subwords=(3, 5), **SMALL).fit_transform(iter(docs))
    np.testing.assert_allclose(generated, est.transform(docs))


def test_grid_search_compares_word_and_subword_vectors():
    docs = corpus(n=120)
    y = np.array([int(doc[0].startswith(("walk", "talk", "jump"))) for doc in docs])
    pipe = make_pipeline(Word2VecTransformer(**SMALL), LogisticRegression())
    grid = GridSearchCV(pipe, {"word2vectransformer__subwords": [None, (3, 6)]}, cv=2).fit(docs, y)
    assert len(grid.cv_results_["mean_test_score"]) == 2


def test_pickle_round_trip_keeps_one_input_matrix(model):
    restored = pickle.loads(pickle.dumps(model))
    assert restored.input_vectors_ is restored.wv_.input_matrix
    np.testing.assert_array_equal(restored.wv_["walkinng"], model.wv_["walkinng"])


def test_skops_round_trip_with_our_types_trusted(model, tmp_path):
    sio = pytest.importorskip("skops.io")
    sio.dump(model, tmp_path / "m.skops")
    trusted = ["skw2v._transformer.Word2VecTransformer", "skw2v._vectors.WordVectors",
               "skw2v._subword_vectors.SubwordVectors"]  # fmt: skip
    assert set(sio.get_untrusted_types(file=tmp_path / "m.skops")) <= set(trusted)
    restored = sio.load(tmp_path / "m.skops", trusted=trusted)
    docs = [["walkinng", "talk"], ["jumps"]]
    np.testing.assert_array_equal(restored.transform(docs), model.transform(docs))


def test_tampered_subword_vectors_are_refused_on_load(model):
    wv = pickle.loads(pickle.dumps(model.wv_))
    wv.min_n = 0
    with pytest.raises(InconsistentStateError, match="min_n"):
        pickle.loads(pickle.dumps(wv))


def test_partial_fit_grows_words_before_the_buckets():
    est = Word2VecTransformer(subwords=(3, 5), **SMALL).partial_fit(corpus())
    before = est.input_vectors_.copy()
    n_before = len(est.wv_)
    est.partial_fit([["brandnew", "walk"]] * 3)
    assert len(est.wv_) == n_before + 1 and est.wv_.buckets == 500
    assert est.input_vectors_.shape[0] == n_before + 1 + 500
    # the n-gram rows kept their place (rows that the batch's words do not use are equal)
    untouched = np.setdiff1d(np.arange(500), np.unique(
        subword_rows(["brandnew", "walk"], 3, 5, 500)[1][:] - 2))  # fmt: skip
    np.testing.assert_array_equal(est.wv_.vectors_ngrams[untouched], before[n_before:][untouched])


# ---------------------------------------------------------------------------- parameters
@pytest.mark.parametrize("subwords", [(0, 3), (5, 3), (3,), (3.0, 6), (True, 6)])
def test_bad_subwords_raise_value_error(subwords):
    with pytest.raises(ValueError, match="min_n"):
        Word2VecTransformer(subwords=subwords, **SMALL).fit(corpus(n=5))


def test_subwords_must_be_a_tuple():
    with pytest.raises(ValueError, match="subwords"):
        Word2VecTransformer(subwords="3-6", **SMALL).fit(corpus(n=5))


def test_input_plus_output_is_refused_with_subwords():
    with pytest.raises(ValueError, match="input\\+output"):
        Word2VecTransformer(subwords=(3, 6), vectors="input+output", **SMALL).fit(corpus(n=5))


def test_buckets_that_cannot_fit_fail_before_allocating():
    params = dict(SMALL, buckets=2_000_000_000, vector_size=1000)
    with pytest.raises(ValueError, match="fewer buckets"):
        Word2VecTransformer(subwords=(3, 6), **params).fit(corpus(n=5))
    with pytest.raises(ValueError, match="buckets"):
        Word2VecTransformer(subwords=(3, 6), **dict(SMALL, buckets=2**31)).fit(corpus(n=5))


def test_changing_subwords_between_partial_fits_is_refused():
    est = Word2VecTransformer(subwords=(3, 5), **SMALL).partial_fit(corpus(n=20))
    est.set_params(subwords=(2, 4))
    with pytest.raises(InconsistentStateError, match="subword"):
        est.partial_fit(corpus(n=20))


# ---------------------------------------------------------------------------- .bin files
UNSEEN = ["walkinng", "xyzzy", "naïf", "日本語"]


def test_saved_model_loads_in_gensim_with_equal_vectors(model, tmp_path):
    path = tmp_path / "m.bin"
    model.save_facebook_model(path)
    loaded = load_facebook_model(str(path))
    assert loaded.wv.index_to_key == model.wv_.index_to_key
    for word in model.wv_.index_to_key + UNSEEN:
        np.testing.assert_allclose(loaded.wv[word], model.wv_[word], atol=1e-6)
    np.testing.assert_array_equal(loaded.syn1neg, model.output_vectors_)
    assert (loaded.wv.min_n, loaded.wv.max_n, loaded.wv.bucket) == (3, 5, 500)
    assert loaded.sg == 1 and loaded.window == model.window


def test_gensim_model_loads_with_equal_vectors(tmp_path):
    docs = corpus()
    ft = FastText(docs, vector_size=10, min_count=1, min_n=2, max_n=4, bucket=300, epochs=2,
                  seed=1, workers=1)  # fmt: skip
    path = tmp_path / "g.bin"
    gensim_save(ft, str(path))
    wv = SubwordVectors.load_facebook_format(path)
    assert wv.index_to_key == ft.wv.index_to_key and (wv.min_n, wv.max_n) == (2, 4)
    for word in ft.wv.index_to_key + UNSEEN:
        np.testing.assert_allclose(wv[word], ft.wv[word], atol=1e-6)
    # and through the pretrained-vectors transformer, unseen words included
    X = WordVectorsTransformer(str(path)).fit_transform([["walkinng"], ["walk", "talk"]])
    np.testing.assert_allclose(X[0], ft.wv["walkinng"], atol=1e-6)
    limited = WordVectorsTransformer(str(path), limit=3).fit()
    assert len(limited.wv_) == 3 and limited.wv_.buckets == 300
    np.testing.assert_allclose(limited.wv_["walkinng"], ft.wv["walkinng"], atol=1e-6)


def test_limit_on_subword_vectors_keeps_every_bucket(model):
    limited = WordVectorsTransformer(model.wv_, limit=3).fit().wv_
    assert len(limited) == 3 and limited.buckets == model.wv_.buckets
    np.testing.assert_allclose(limited["walkinng"], model.wv_["walkinng"], atol=1e-6)
    np.testing.assert_allclose(limited[model.wv_.index_to_key[0]], model.wv_.vectors[0],
                               atol=1e-6)  # fmt: skip


def test_word_only_model_cannot_be_saved_as_fasttext(fitted, tmp_path):
    with pytest.raises(ValueError, match="save_word2vec_format"):
        fitted.save_facebook_model(tmp_path / "m.bin")


def test_subword_vectors_alone_round_trip(model, tmp_path):
    model.wv_.save_facebook_format(tmp_path / "v.bin")
    wv = SubwordVectors.load_facebook_format(tmp_path / "v.bin")
    np.testing.assert_array_equal(wv.input_matrix, model.wv_.input_matrix)
    np.testing.assert_array_equal(wv.counts, model.wv_.counts)


def test_compressed_model_file_loads(model, tmp_path):
    model.save_facebook_model(tmp_path / "m.bin.gz")
    wv = SubwordVectors.load_facebook_format(tmp_path / "m.bin.gz")
    np.testing.assert_array_equal(wv.input_matrix, model.wv_.input_matrix)


@pytest.fixture
def saved(model, tmp_path):
    path = tmp_path / "m.bin"
    model.save_facebook_model(path)
    return path.read_bytes()


@pytest.mark.parametrize("fraction", [0.0001, 0.003, 0.01, 0.2, 0.5, 0.9, 0.9999])
def test_truncated_files_name_the_offset(saved, fraction, tmp_path):
    data = saved
    cut = tmp_path / "cut.bin"
    cut.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(ValueError, match="offset"):
        read_facebook(cut)


def _dictionary_end(data: bytes, n_words: int) -> int:
    pos = 4 * 2 + 4 * 12 + 8 + 4 * 3 + 8 * 2
    for _ in range(n_words):
        pos = data.index(b"\0", pos) + 10
    return pos


def test_huge_declared_matrix_fails_before_allocating(saved, model, tmp_path):
    data = saved
    at = _dictionary_end(data, len(model.wv_)) + 1  # after the quantization flag
    damaged = bytearray(data)
    damaged[at : at + 16] = struct.pack("<2q", 10**12, 12)
    (tmp_path / "d.bin").write_bytes(bytes(damaged))
    with pytest.raises(ValueError, match=f"offset {at}"):
        read_facebook(tmp_path / "d.bin")


@pytest.mark.parametrize(
    ("offset", "value", "message"),
    [
        (0, struct.pack("<i", 1234), "magic"),
        (4, struct.pack("<i", 99), "version"),
        (8, struct.pack("<i", -5), "dim"),
        (64, struct.pack("<i", 10**9), "dictionary"),  # size: more words than bytes
        (72, struct.pack("<i", 2), "supervised"),  # nlabels
    ],
)
def test_damaged_headers_are_value_errors(saved, tmp_path, offset, value, message):
    data = saved
    damaged = bytearray(data)
    damaged[offset : offset + len(value)] = value
    (tmp_path / "d.bin").write_bytes(bytes(damaged))
    with pytest.raises(ValueError, match=message):
        read_facebook(tmp_path / "d.bin")


def test_quantized_and_nan_matrices_are_refused(saved, model, tmp_path):
    data = saved
    flag = _dictionary_end(data, len(model.wv_))
    damaged = bytearray(data)
    damaged[flag] = 1
    (tmp_path / "q.bin").write_bytes(bytes(damaged))
    with pytest.raises(ValueError, match="quantized"):
        read_facebook(tmp_path / "q.bin")
    damaged = bytearray(data)
    damaged[flag + 17 : flag + 21] = struct.pack("<f", float("nan"))
    (tmp_path / "n.bin").write_bytes(bytes(damaged))
    with pytest.raises(ValueError, match="NaN"):
        read_facebook(tmp_path / "n.bin")


def test_trailing_bytes_are_refused(saved, tmp_path):
    data = saved
    (tmp_path / "t.bin").write_bytes(data + b"\0")
    with pytest.raises(ValueError, match="unexpected bytes"):
        read_facebook(tmp_path / "t.bin")


def test_word2vec_binary_is_not_taken_for_fasttext(fitted, tmp_path):
    fitted.wv_.save_word2vec_format(tmp_path / "w.bin", binary=True)
    est = WordVectorsTransformer(str(tmp_path / "w.bin"), binary=True).fit()
    assert type(est.wv_) is WordVectors
