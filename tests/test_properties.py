"""Property tests: random corpora of random Unicode tokens, random parameters within
bounds, random documents to transform.

Whatever the input, skw2v raises only ``ValueError``/``TypeError`` (never a crash or
another exception), returns finite float32 arrays of the right shape, leaves its input
unchanged, is deterministic with ``n_jobs=1``, and saves vectors that load back exactly
(or refuses, clearly, a word the format cannot store).

The default profile is small and derandomised, for CI. Before a release, run the long
one: ``HYPOTHESIS_PROFILE=release pytest tests/test_properties.py``.
"""

import copy

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import event, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from skw2v import Word2VecTransformer, WordVectors  # noqa: E402

# Any code point, lone surrogates, white space and the empty string included.
TOKENS = st.one_of(
    st.text(st.characters(codec=None, categories=None), max_size=6),
    st.sampled_from(["the", "cat", "sat", "on", "mat", "dog", "a"]),  # repeated words
)
DOCUMENT = st.lists(TOKENS, max_size=30)
#: Mostly documents of common words (so that most fits train), some empty or random ones.
CORPUS = st.lists(
    st.one_of(st.lists(st.sampled_from(["the", "cat", "sat", "on", "mat"]), max_size=12),
              DOCUMENT),
    max_size=25,
)  # fmt: skip

PARAMETERS = st.fixed_dictionaries(
    {
        "vector_size": st.integers(1, 12),
        "window": st.integers(1, 6),
        "min_count": st.integers(1, 3),
        "sample": st.sampled_from([0.0, 1e-3, 0.5]),
        "negative": st.integers(1, 6),
        "ns_exponent": st.floats(-2.0, 2.0),
        "alpha": st.floats(1e-4, 0.1),
        "epochs": st.integers(1, 2),
        "shrink_windows": st.booleans(),
        "shared_negatives": st.booleans(),
        "architecture": st.sampled_from(["skipgram", "cbow"]),
        "objective": st.sampled_from(["negative_sampling", "hierarchical_softmax"]),
        "vectors": st.sampled_from(["input", "input", "input+output"]),
        "pooling": st.sampled_from(["mean", "sum", "max", "tfidf", "sif"]),
        "normalize": st.booleans(),
        "empty": st.sampled_from(["zeros", "zeros", "zeros", "error"]),
    }
)


def _fit(params, corpus):
    return Word2VecTransformer(**params, n_jobs=1, random_state=0).fit(corpus)


@given(params=PARAMETERS, corpus=CORPUS, new=CORPUS)
def test_fit_and_transform_never_crash_and_give_finite_float32(params, corpus, new):
    corpus_before, new_before = copy.deepcopy(corpus), copy.deepcopy(new)
    try:
        model = _fit(params, corpus)
        X = model.transform(new)
    except (ValueError, TypeError) as error:
        event(f"refused: {str(error)[:50]}")
        return  # a clear error (an empty corpus, an impossible combination, ...)
    finally:
        assert corpus == corpus_before and new == new_before  # inputs unchanged
    event("fitted and transformed")
    assert X.dtype == np.float32 and X.shape == (len(new), params["vector_size"])
    assert np.isfinite(X).all()
    assert np.isfinite(model.wv_.vectors).all()
    assert model.wv_.vectors.shape == (len(model.wv_), params["vector_size"])


@given(params=PARAMETERS, corpus=CORPUS)
def test_one_thread_fits_are_deterministic(params, corpus):
    try:
        first = _fit(params, corpus)
    except (ValueError, TypeError):
        return
    second = _fit(params, corpus)
    np.testing.assert_array_equal(first.wv_.vectors, second.wv_.vectors)
    assert first.wv_.index_to_key == second.wv_.index_to_key


@given(corpus=CORPUS, binary=st.booleans(), gz=st.booleans())
def test_saved_vectors_load_back_exactly_or_the_save_is_refused(
    corpus, binary, gz, tmp_path_factory
):
    try:
        model = Word2VecTransformer(vector_size=3, min_count=1, epochs=1, n_jobs=1,
                                    random_state=0).fit(corpus)  # fmt: skip
    except (ValueError, TypeError):
        return
    path = tmp_path_factory.mktemp("save") / ("v.bin" if binary else "v.txt")
    path = path.with_name(path.name + ".gz") if gz else path
    try:
        model.wv_.save_word2vec_format(path, binary=binary)
    except ValueError as error:
        assert "cannot be stored" in str(error)
        assert not path.exists()
        return
    loaded = WordVectors.load_word2vec_format(path, binary=binary)
    assert loaded.index_to_key == model.wv_.index_to_key
    np.testing.assert_array_equal(loaded.vectors, model.wv_.vectors)


@given(lines=st.lists(st.text(st.characters(codec="utf-8"), max_size=40), max_size=30),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), final=st.booleans())  # fmt: skip
def test_the_byte_tokenizer_encodes_files_like_str_split(lines, newline, final, tmp_path_factory):
    from skw2v import LineCorpus
    from skw2v._training.corpus import count_and_encode

    text = newline.join(lines) + (newline if final and lines else "")
    path = tmp_path_factory.mktemp("tok") / "c.txt"
    path.write_bytes(text.encode("utf-8"))
    fast_types, fast = count_and_encode(LineCorpus(path))
    slow_types, slow = count_and_encode(iter(list(LineCorpus(path))))
    assert fast_types == slow_types
    np.testing.assert_array_equal(fast.indptr, slow.indptr)
    joined = [np.zeros(0, np.int32)]
    np.testing.assert_array_equal(np.concatenate(joined + fast.chunks),
                                  np.concatenate(joined + slow.chunks))  # fmt: skip


@given(
    vocabulary=st.lists(TOKENS, max_size=20, unique=True), documents=st.lists(DOCUMENT, max_size=8)
)
def test_joined_encoding_is_the_dicts_or_declines(vocabulary, documents):
    """The kernel lookup of joined tokens (``transform``'s fast path for many token
    lists) gives the dict's ids, or declines exactly when it cannot: a token or word with a
    separator byte, a lone surrogate."""
    from skw2v._training.corpus import TokenLookup, encode
    from skw2v._training.joined import join_tokens, lookup_joined, vocabulary_table

    lookup = TokenLookup({word: i for i, word in enumerate(vocabulary)})
    table = vocabulary_table(lookup)
    tokens = [token for doc in documents for token in doc]
    unencodable = any(0xD800 <= ord(c) <= 0xDFFF for c in "".join(vocabulary))
    assert (table is None) == unencodable
    if table is None:
        return
    joined = join_tokens(documents)
    if joined is None:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in "".join(tokens))
        return
    corpus = lookup_joined(*joined, table)
    if corpus is None:
        assert any("\x00" in token or "\x01" in token for token in tokens)
        return
    event("joined")
    expected = encode(documents, lookup)
    np.testing.assert_array_equal(corpus.ids, expected.ids)
    np.testing.assert_array_equal(corpus.indptr, expected.indptr)


@given(documents=st.lists(DOCUMENT, max_size=8), chunk=st.integers(1, 40))
def test_counting_joined_tokens_is_the_dicts_or_declines(documents, chunk):
    """The kernel count of joined tokens (``fit``'s path for many token lists, in batches
    of ``chunk`` tokens) numbers the types as the dict does, or declines exactly when it
    cannot: a token with a separator byte, a lone surrogate."""
    from unittest import mock

    from skw2v._io.storage import CorpusStorage
    from skw2v._training import corpus as _corpus

    with mock.patch.multiple(_corpus, JOINED_MIN_TOKENS=0, JOINED_BATCH_TOKENS=chunk):
        counted = _corpus._count_joined(documents, CorpusStorage())
    tokens = [token for doc in documents for token in doc]
    if counted is None:
        assert not documents or any(
            "\x00" in token or "\x01" in token or any(0xD800 <= ord(c) <= 0xDFFF for c in token)
            for token in tokens
        )
        return
    event("counted")
    types, corpus = counted
    expected_types, expected = _corpus.count_and_encode(iter(documents))
    assert types == expected_types
    empty = [np.zeros(0, np.int32)]
    np.testing.assert_array_equal(np.concatenate(empty + corpus.chunks),
                                  np.concatenate(empty + expected.chunks))  # fmt: skip
    np.testing.assert_array_equal(corpus.indptr, expected.indptr)
