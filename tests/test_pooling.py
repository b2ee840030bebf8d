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
