import itertools

import numpy as np
import pytest

from skw2v._corpus import EncodedCorpus
from skw2v._pooling import mean_vectors


@pytest.mark.parametrize("n_threads", [1, 2])
def test_mean_vectors_match_numpy_and_give_zeros_for_empty_documents(n_threads):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(30, 7)).astype(np.float32)
    lengths = [3, 0, 1, 12, 0, 5]
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    ids = rng.integers(0, 30, indptr[-1]).astype(np.int32)
    out = mean_vectors(EncodedCorpus(ids=ids, indptr=indptr), vectors, n_threads)
    assert out.dtype == np.float32 and out.shape == (6, 7)
    for d, (start, stop) in enumerate(itertools.pairwise(indptr)):
        expected = vectors[ids[start:stop]].mean(axis=0) if stop > start else np.zeros(7)
        np.testing.assert_allclose(out[d], expected, rtol=1e-5, atol=1e-6)


def test_parallel_pooling_equals_serial_pooling_bitwise():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(500, 32)).astype(np.float32)
    indptr = np.arange(0, 20_001, 20, dtype=np.int64)
    corpus = EncodedCorpus(ids=rng.integers(0, 500, 20_000).astype(np.int32), indptr=indptr)
    np.testing.assert_array_equal(
        mean_vectors(corpus, vectors, 1), mean_vectors(corpus, vectors, 2)
    )


def test_batched_document_vectors_equal_one_shot_pooling(monkeypatch):
    from skw2v import _pooling
    from skw2v._corpus import TokenLookup, encode

    rng = np.random.default_rng(2)
    words = [f"w{i}" for i in range(40)]
    vectors = rng.normal(size=(30, 5)).astype(np.float32)  # w30..w39 are unknown
    lookup = TokenLookup({w: i for i, w in enumerate(words[:30])})
    docs = [[words[j] for j in rng.integers(0, 40, rng.integers(0, 6))] for _ in range(50)]
    expected = mean_vectors(encode(docs, lookup), vectors)
    monkeypatch.setattr(_pooling, "BATCH_DOCUMENTS", 7)
    np.testing.assert_array_equal(_pooling.document_vectors(docs, lookup, vectors), expected)
    docs[45] = ["w1", 3]
    with pytest.raises(TypeError, match="Document 45 of X contains a non-string token 3"):
        _pooling.document_vectors(docs, lookup, vectors)
