import numpy as np
import pytest

from skw2v._training.corpus import TokenLookup, count_and_encode, drop_ids, encode, iter_documents


def test_count_and_encode_assigns_ids_in_order_of_first_appearance():
    types, corpus = count_and_encode([["b", "a", "b"], [], ("c", "a")])
    assert types == ["b", "a", "c"]
    assert np.concatenate(corpus.chunks).tolist() == [0, 1, 0, 2, 1]
    assert corpus.indptr.tolist() == [0, 3, 3, 5]


def test_count_and_encode_reads_a_one_shot_generator_once():
    reads = []

    def documents():
        for doc in (["x", "y"], ["y"]):
            reads.append(doc)
            yield doc

    types, corpus = count_and_encode(documents())
    assert types == ["x", "y"]
    assert corpus.n_tokens == 3
    assert len(reads) == 2


def test_large_corpora_are_encoded_in_chunks(monkeypatch):
    from skw2v._training import corpus as _corpus

    monkeypatch.setattr(_corpus, "ENCODE_CHUNK", 4)
    _, corpus = count_and_encode([["a", "b", "c"], ["d", "a"], ["b", "b", "e", "f"]])
    assert [c.shape[0] for c in corpus.chunks] == [4, 4, 1]
    assert np.concatenate(corpus.chunks).tolist() == [0, 1, 2, 3, 0, 1, 1, 4, 5]
    # a bad token in the last chunk is still located in its document
    with pytest.raises(TypeError, match=r"Document 2 of X contains a non-string token 1\.5"):
        count_and_encode([["a", "b", "c"], ["d", "a"], ["b", "b", "e", 1.5]])


def test_numpy_string_arrays_are_documents():
    types, corpus = count_and_encode([np.array(["a", "b"]), np.array(["b"])])
    assert types == ["a", "b"]
    assert corpus.indptr.tolist() == [0, 2, 3]


@pytest.mark.parametrize(
    "X, match",
    [
        (None, "X is None"),
        ("a string", "single string"),
        (42, "non-iterable int"),
        (["the", "cat"], r"Document 0 of X is a str .* list of string tokens is expected"),
        ([["ok"], {"a": 1}], "Document 1 of X is a dict"),
        ([["ok"], ["fine", 3]], r"Document 1 of X contains a non-string token 3"),
        ([["ok"], [b"bytes"]], "non-string token b'bytes'"),
        ([["ok"], [["nested"]]], "Document 1 of X contains an unhashable token"),
    ],
)
def test_bad_documents_raise_type_errors_that_say_what_to_do(X, match):
    with pytest.raises(TypeError, match=match):
        count_and_encode(X)


def test_encode_drops_unknown_words_and_keeps_empty_documents():
    lookup = TokenLookup({"a": 0, "b": 1})
    corpus = encode([["a", "zzz", "b"], ["zzz"], ["b"]], lookup)
    assert corpus.ids.dtype == np.int32
    assert corpus.ids.tolist() == [0, 1, 1]
    assert corpus.indptr.tolist() == [0, 2, 2, 3]


def test_encode_rejects_non_string_tokens_even_when_unknown():
    with pytest.raises(TypeError, match=r"Document 1 of X contains a non-string token 7"):
        encode([["a"], ["a", 7]], TokenLookup({"a": 0}))


def test_iter_documents_accepts_tuples_and_lists():
    assert list(iter_documents([("a",), ["b"]])) == [("a",), ["b"]]


def test_drop_ids_rebuilds_boundaries():
    ids = np.array([5, 6, 7, 8])
    indptr = np.array([0, 1, 4])
    kept, new_indptr = drop_ids(ids, indptr, np.array([False, True, False, True]))
    assert kept.tolist() == [6, 8]
    assert new_indptr.tolist() == [0, 0, 2]
