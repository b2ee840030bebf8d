import itertools

import numpy as np
import pytest

from skw2v import _pooling
from skw2v._kernels import pooling as _kernels
from skw2v._pooling import PoolingState, document_vectors, first_principal_component
from skw2v._training.corpus import EncodedCorpus, TokenLookup, encode


def random_corpus(seed=0, n_words=30, lengths=(3, 0, 1, 12, 0, 5)):
    rng = np.random.default_rng(seed)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    ids = rng.integers(0, n_words, indptr[-1]).astype(np.int32)
    return ids, indptr


def test_pool_kernel_modes_match_numpy():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(30, 7)).astype(np.float32)
    weights = rng.uniform(0.1, 2.0, 30).astype(np.float32)
    ids, indptr = random_corpus()
    reducers = {
        _kernels.POOL_SUM: lambda v, w: (w[:, None] * v).sum(axis=0),
        _kernels.POOL_WEIGHTED_MEAN: lambda v, w: (w[:, None] * v).sum(axis=0) / w.sum(),
        _kernels.POOL_AVERAGE: lambda v, w: (w[:, None] * v).sum(axis=0) / len(w),
        _kernels.POOL_MAX: lambda v, w: v.max(axis=0),
    }
    for mode, reduce in reducers.items():
        out = np.full((6, 7), 99.0, dtype=np.float32)
        _kernels.pool(ids, indptr, weights, vectors, mode, out)
        for d, (start, stop) in enumerate(itertools.pairwise(indptr)):
            tokens = ids[start:stop]
            expected = reduce(vectors[tokens], weights[tokens]) if len(tokens) else np.zeros(7)
            np.testing.assert_allclose(out[d], expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("n_threads", [2, 3])
def test_threaded_pooling_equals_serial_pooling_bitwise(n_threads, monkeypatch):
    monkeypatch.setattr(_pooling, "PARALLEL_MIN_TOKENS", 0)
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(500, 32)).astype(np.float32)
    ids = rng.integers(0, 500, 20_000).astype(np.int32)
    lengths = rng.integers(0, 40, 1000)
    lengths[-1] += 20_000 - lengths.sum()  # uneven documents, the last one long
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    state = PoolingState("mean", np.ones(500, np.float32), None, False, "zeros")
    corpus = EncodedCorpus(ids=ids, indptr=indptr)
    serial = _pooling._pool(corpus, vectors, state, 1)
    np.testing.assert_array_equal(_pooling._pool(corpus, vectors, state, n_threads), serial)


def test_document_frequency_counts_each_document_once():
    ids = np.array([0, 0, 1, 2, 2, 2, 0], dtype=np.int32)
    indptr = np.array([0, 3, 3, 6, 7], dtype=np.int64)
    assert _kernels.document_frequency(ids, indptr, 4).tolist() == [2, 1, 1, 0]


def test_first_principal_component_is_the_top_right_singular_vector():
    X = np.random.default_rng(3).normal(size=(50, 6)).astype(np.float32) + 2.0
    u = first_principal_component(X)
    top = np.linalg.svd(X.astype(np.float64), full_matrices=False)[2][0]
    assert abs(float(u @ top)) == pytest.approx(1.0, abs=1e-5)


def test_batched_document_vectors_equal_one_shot_pooling(monkeypatch):
    from skw2v import _pooling

    rng = np.random.default_rng(2)
    words = [f"w{i}" for i in range(40)]
    vectors = rng.normal(size=(30, 5)).astype(np.float32)  # w30..w39 are unknown
    lookup = TokenLookup({w: i for i, w in enumerate(words[:30])})
    docs = [[words[j] for j in rng.integers(0, 40, rng.integers(0, 6))] for _ in range(50)]
    state = PoolingState("sif", rng.uniform(0.5, 1, 30).astype(np.float32),
                         np.eye(5, dtype=np.float32)[0], True, "nan")  # fmt: skip
    expected = document_vectors(docs, lookup, vectors, state)
    corpus = encode(docs, lookup)
    assert np.isnan(expected[np.diff(corpus.indptr) == 0]).all()
    monkeypatch.setattr(_pooling, "BATCH_DOCUMENTS", 7)
    np.testing.assert_array_equal(document_vectors(docs, lookup, vectors, state), expected)
    docs[45] = ["w1", 3]
    with pytest.raises(TypeError, match="Document 45 of X contains a non-string token 3"):
        document_vectors(docs, lookup, vectors, state)


def _joined_fixture(seed=4, n_docs=60):
    rng = np.random.default_rng(seed)
    # the vocabulary holds the empty string, spaces, non-ASCII and a separator byte
    words = ["w0", "", "a b", "日本", "é", "x\x00y", "\x01"] + [f"w{i}" for i in range(1, 30)]
    unknown = ["u1", "u\x00", "\x01\x01", " ", "日"]
    known = words[:30]
    vectors = rng.normal(size=(30, 5)).astype(np.float32)
    lookup = TokenLookup({w: i for i, w in enumerate(known)})
    pool_words = known + unknown
    docs = [[pool_words[j] for j in rng.integers(0, len(pool_words), rng.integers(0, 6))]
            for _ in range(n_docs)]  # fmt: skip
    return docs, known, lookup, vectors


def test_joined_encoding_equals_the_dict_or_declines():
    from skw2v._training.joined import join_tokens, lookup_joined, vocabulary_table

    docs, _, lookup, _ = _joined_fixture()
    table = vocabulary_table(lookup)
    clean = [[t for t in doc if "\x00" not in t and "\x01" not in t] for doc in docs]
    for batch in (clean, [[]], [[""]], [[], [""], []], [["w1"], []], [[], ["w1"]]):
        corpus = lookup_joined(*join_tokens(batch), table)
        expected = encode(batch, lookup)
        np.testing.assert_array_equal(corpus.ids, expected.ids)
        np.testing.assert_array_equal(corpus.indptr, expected.indptr)
    # a token holding a separator anywhere makes the kernel decline
    for token in ("x\x00y", "\x01", "u\x00", "\x01\x01"):
        for position in (0, len(clean) // 2, len(clean) - 1):
            batch = [list(doc) for doc in clean]
            batch[position] = [*batch[position], token]
            assert lookup_joined(*join_tokens(batch), table) is None, (token, position)
    assert join_tokens([["w1", 3]]) is None
    assert join_tokens([["w1", "\ud800"]]) is None
    # rows not numbered in key order, or a key UTF-8 cannot encode: no table
    assert vocabulary_table({"a": 1, "b": 0}) is None
    assert vocabulary_table({"a": 0, "\ud800": 1}) is None


@pytest.mark.parametrize("n_threads", [1, 2])
def test_joined_document_vectors_equal_the_dict_path(n_threads, monkeypatch):
    from skw2v._training.joined import vocabulary_table

    docs, _, lookup, vectors = _joined_fixture(n_docs=80)
    table = vocabulary_table(lookup)
    state = PoolingState("mean", np.ones(30, np.float32), None, False, "nan")
    expected = document_vectors(docs, lookup, vectors, state, n_threads)
    monkeypatch.setattr(_pooling, "JOINED_MIN_DOCUMENTS", 0)
    monkeypatch.setattr(_pooling, "BATCH_DOCUMENTS", 9)
    got = document_vectors(docs, lookup, vectors, state, n_threads, table=lambda: table)
    np.testing.assert_array_equal(got, expected)  # batches with separators fall back
    docs[50] = ["w1", 3]
    with pytest.raises(TypeError, match="Document 50 of X contains a non-string token 3"):
        document_vectors(docs, lookup, vectors, state, n_threads, table=lambda: table)
