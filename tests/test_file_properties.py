"""Property and fuzz tests of what skw2v reads from files.

- ``LineCorpus`` splits raw bytes in a compiled kernel (the fast path) and, for an
  analyzer or another error policy, decoded text with ``str.split`` (the Python path).
  For any bytes, valid or invalid UTF-8, with every kind of line end and white space,
  both give the same documents, or both raise a ``ValueError`` naming the file.
- Vector files (word2vec text and binary, fastText ``.bin``), randomly damaged, load
  finite vectors or raise a ``ValueError`` naming the file: never a crash, another
  exception, a non-finite vector, or an allocation larger than the file allows.

Profiles (``ci``, ``release``) are registered in ``conftest.py``.
"""

from __future__ import annotations

import struct
import tracemalloc
import uuid
from unittest import mock

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import event, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from skw2v import LineCorpus, SubwordVectors, WordVectors, _reader  # noqa: E402
from skw2v._io.storage import CorpusStorage  # noqa: E402

#: Bytes that matter to a tokenizer: ASCII and Unicode white space, every line end,
#: truncated and invalid UTF-8 sequences, encoded surrogates, NUL, a BOM.
PIECES = [
    b"a", b"bc", "\u00e9t\u00e9".encode(), "\u4e2d".encode(), b" ", b"\t", b"\n", b"\r",
    b"\r\n", b"\x0b", b"\x0c", b"\x1c", b"\x1f", b"\x00", b"\xc2\x85", b"\xc2\xa0",
    b"\xe1\x9a\x80", b"\xe2\x80\x80", b"\xe2\x80\x8a", b"\xe2\x80\x8b", b"\xe2\x80\xa8",
    b"\xe2\x80\xa9", b"\xe2\x80\xaf", b"\xe2\x81\x9f", b"\xe3\x80\x80", b"\xef\xbb\xbf",
    b"\xf0\x9f\x98\x80", b"\xe2\x80", b"\xe2", b"\xc2", b"\xe3\x80", b"\x80", b"\xbf",
    b"\xff", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf",
]  # fmt: skip
RAW = st.one_of(st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join),
                st.binary(max_size=120))  # fmt: skip


def _documents_or_error(read):
    try:
        return read(), None
    except ValueError as exc:
        return None, str(exc)


def _fast(path) -> list[list[str]]:
    encoded = LineCorpus(path).encode_provisional(CorpusStorage())
    assert encoded is not None  # strict UTF-8, no analyzer: the kernel path
    types, corpus = encoded
    ids = np.concatenate(corpus.chunks) if corpus.chunks else np.zeros(0, np.int32)
    return [[types[i] for i in ids[start:stop]]
            for start, stop in zip(corpus.indptr[:-1], corpus.indptr[1:])]  # fmt: skip


def _python(path) -> list[list[str]]:
    return [list(doc) for block in LineCorpus(path).document_blocks() for doc in block]


#: Fast tests (a few ms an example): more examples than the profile's default.
MANY = settings(max_examples=max(400, settings.default.max_examples))


@MANY
@given(data=RAW, read_bytes=st.sampled_from([1, 2, 3, 5, 64, 1 << 20]))
@example(data=b"the cat\xe2\x80\nsat dog\n", read_bytes=1 << 20)  # the case
@example(data=b"a\xe2\x80", read_bytes=1 << 20)  # a truncated space at the end
def test_the_fast_and_the_python_path_read_the_same_documents(tmp_path_factory, data,
                                                              read_bytes):  # fmt: skip
    path = tmp_path_factory.mktemp("bytes") / "corpus.txt"
    path.write_bytes(data)
    with mock.patch.object(_reader, "READ_BYTES", read_bytes):
        fast, fast_error = _documents_or_error(lambda: _fast(path))
    python, python_error = _documents_or_error(lambda: _python(path))
    assert fast == python
    assert (fast_error is None) == (python_error is None)
    event("both raise" if fast_error else "same documents")
    if fast_error is not None:
        assert fast_error.startswith(f"{path}: cannot be read")
        assert python_error.startswith(f"{path}: cannot be read")


# ------------------------------------------------------------------------- vector files
def _base_files() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    words = ["the", "cat", "sat", "\u00e9t\u00e9", "\u4e2d\u6587"]
    vectors = rng.normal(size=(5, 3)).astype(np.float32)
    folder = __import__("tempfile").mkdtemp()
    wv = WordVectors(vectors, words, [9, 7, 5, 3, 1])
    wv.save_word2vec_format(f"{folder}/v.txt")
    wv.save_word2vec_format(f"{folder}/v.bin", binary=True)
    matrix = rng.normal(size=(5 + 20, 3)).astype(np.float32)
    SubwordVectors(matrix, words, [9, 7, 5, 3, 1], min_n=2, max_n=4).save_facebook_format(
        f"{folder}/m.bin"
    )
    return {
        kind: open(f"{folder}/{name}", "rb").read()
        for kind, name in (("text", "v.txt"), ("binary", "v.bin"), ("fasttext", "m.bin"))
    }


BASE = _base_files()
EXTREME = [0, 1, 2, 3, 5, 7, -1, -(2**31), 2**31 - 1, 10**6, 10**9, 2**24]
#: (operation, position, value): a byte set, a byte flipped, a cut, an insertion, a
#: deletion, or (fastText) an int32 of the header replaced by an extreme value.
MUTATION = st.tuples(
    st.sampled_from(["set", "flip", "cut", "insert", "delete", "int32", "header"]),
    st.integers(0, 1 << 16),
    st.integers(0, 255),
    st.sampled_from(EXTREME),
)


def _mutate(data: bytes, kind: str, mutations) -> bytes:
    out = bytearray(data)
    for operation, position, value, extreme in mutations:
        at = position % max(len(out), 1)
        if operation == "set" and out:
            out[at] = value
        elif operation == "flip" and out:
            out[at] ^= 1 << (value % 8)
        elif operation == "cut":
            del out[at:]
        elif operation == "insert":
            out[at:at] = bytes([value]) * (1 + value % 7)
        elif operation == "delete":
            del out[at : at + 1 + value % 7]
        elif operation == "int32" and kind == "fasttext" and len(out) >= 68:
            offset = 4 * (position % 17)  # magic, version, the 12 arguments, the counts
            out[offset : offset + 4] = struct.pack("<i", max(min(extreme, 2**31 - 1), -(2**31)))
        elif operation == "header" and kind != "fasttext":
            end = out.find(b"\n")
            fields = out[:end].split() if end > 0 else []
            if len(fields) == 2:
                fields[value % 2] = str(extreme).encode()
                out[:end] = b" ".join(fields)
    return bytes(out)


def _load(kind: str, path):
    if kind == "fasttext":
        return SubwordVectors.load_facebook_format(path)
    return WordVectors.load_word2vec_format(path, binary=kind == "binary")


@MANY
@given(kind=st.sampled_from(sorted(BASE)), mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_damaged_vector_files_load_finite_vectors_or_name_the_file(tmp_path_factory, kind,
                                                                    mutations):  # fmt: skip
    data = _mutate(BASE[kind], kind, mutations)
    path = tmp_path_factory.mktemp("fuzz") / f"{uuid.uuid4().hex[:8]}.{kind}"
    path.write_bytes(data)
    tracemalloc.start()
    try:
        wv = _load(kind, path)
    except ValueError as exc:
        assert str(path) in str(exc) or path.name in str(exc), str(exc)
        event(f"{kind}: ValueError")
        wv = None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # reads of up to 16 MiB (fastText's block) come and go; a size taken from a damaged
    # header (gigabytes, terabytes) is never allocated
    assert peak < 48 << 20, f"{peak:,} bytes allocated for a file of {len(data):,}"
    if wv is not None:
        event(f"{kind}: loaded")
        assert np.isfinite(wv.vectors).all()
        if isinstance(wv, SubwordVectors):
            assert np.isfinite(wv.input_matrix).all()
            assert np.isfinite(wv["unseen"]).all()
        assert len(wv.index_to_key) == wv.vectors.shape[0] == wv.counts.shape[0]
        assert (wv.counts >= 0).all()
