import mmap

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


def _dict_count(X):
    """count_and_encode's dict path (a generator never takes the joined one)."""
    return count_and_encode(iter(X))


def _assert_same_encoding(got, expected):
    assert got[0] == expected[0]
    np.testing.assert_array_equal(np.concatenate(got[1].chunks), np.concatenate(expected[1].chunks))
    np.testing.assert_array_equal(got[1].indptr, expected[1].indptr)


@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_many_token_lists_are_counted_in_a_kernel_with_the_dicts_ids(chunk, n_threads, monkeypatch):
    from skw2v._kernels import tokenize
    from skw2v._training import corpus as _corpus

    rng = np.random.default_rng(0)
    # 40,000 distinct words: more than half the kernel's first 65,536 slots, so they grow
    words = [f"w{i}" for i in range(40_000)] + ["é", "日本", "", "a b", "tab\t", "\n"]
    docs = [[words[i] for i in rng.integers(0, len(words), rng.integers(0, 12))]
            for _ in range(20_000)]  # fmt: skip
    docs[5] = []
    docs[-1] = []
    monkeypatch.setattr(_corpus, "JOINED_BATCH_TOKENS", chunk)
    monkeypatch.setattr(_corpus, "JOINED_MIN_TOKENS", 0)
    calls = []
    original = tokenize.count_joined
    monkeypatch.setattr(tokenize, "count_joined", lambda *a: calls.append(1) or original(*a))
    _assert_same_encoding(count_and_encode(docs, n_threads=n_threads), _dict_count(docs))
    # once per batch of documents (at most 11 tokens each past 7), and again after the
    # slots grew
    assert len(calls) >= (sum(map(len, docs)) // 11 if chunk == 7 else 2)


@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize(
    "bad", ["a\x00b", "\x01", "\ud800", 3, None], ids=["nul", "soh", "surrogate", "int", "none"]
)
def test_the_kernel_count_hands_tokens_it_cannot_split_to_the_dict(bad, n_threads, monkeypatch):
    from skw2v._training import corpus as _corpus

    monkeypatch.setattr(_corpus, "JOINED_MIN_TOKENS", 0)
    monkeypatch.setattr(_corpus, "JOINED_BATCH_TOKENS", 2)  # the bad token in a later batch
    docs = [["x", "y"], ["y", "w"], ["y", bad, "z"], []]
    if isinstance(bad, str):
        _assert_same_encoding(count_and_encode(docs, n_threads=n_threads), _dict_count(docs))
        assert count_and_encode(docs, n_threads=n_threads)[0] == ["x", "y", "w", bad, "z"]
    else:
        with pytest.raises(TypeError, match="Document 2 of X contains a non-string token"):
            count_and_encode(docs, n_threads=n_threads)


@pytest.mark.parametrize("where", ["with_room", "count_joined"])
def test_an_error_on_the_counting_thread_reaches_the_caller(where, monkeypatch):
    from skw2v._kernels import tokenize
    from skw2v._training import corpus as _corpus

    def fail(*args):
        raise ValueError("The corpus has more than 2,147,483,646 distinct words.")

    monkeypatch.setattr(_corpus, "JOINED_MIN_TOKENS", 0)
    monkeypatch.setattr(_corpus, "JOINED_BATCH_TOKENS", 2)
    monkeypatch.setattr(tokenize, where, fail)
    with pytest.raises(ValueError, match="distinct words"):  # raised, not waited for forever
        count_and_encode([["a", "b"], ["c"], ["d", "e"]], n_threads=2)


def test_the_kernel_count_writes_to_disk_storage(tmp_path, monkeypatch):
    from skw2v._io.storage import CorpusStorage
    from skw2v._training import corpus as _corpus

    monkeypatch.setattr(_corpus, "JOINED_MIN_TOKENS", 0)
    monkeypatch.setattr(_corpus, "JOINED_BATCH_TOKENS", 3)
    docs = [["a", "b", "c"], ["d", "a"], [], ["b", "b", "e", "f"]]
    with CorpusStorage(on_disk=True, temp_folder=tmp_path) as storage:
        types, corpus = count_and_encode(docs, storage=storage)
        _assert_same_encoding((types, corpus), _dict_count(docs))
        base = corpus.chunks[0]
        while base is not None and not isinstance(base, mmap.mmap):
            base = base.base
        assert base is not None  # the ids are a view of a mapped file


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
