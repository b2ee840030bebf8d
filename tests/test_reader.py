import bz2
import gzip
import lzma

import numpy as np
import pytest

from skw2v import LineCorpus, Word2VecTransformer

LINES = ["the cat sat on the mat", "", "the  dog\tsat", "a cat"] * 30


def _write(path, lines, opener=open):
    with opener(path, "wt", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)
    return path


@pytest.mark.parametrize("suffix, opener", [("", open), (".gz", gzip.open), (".bz2", bz2.open),
                                            (".xz", lzma.open)])  # fmt: skip
def test_a_file_of_any_compression_reads_as_its_split_lines(tmp_path, suffix, opener):
    corpus = LineCorpus(_write(tmp_path / f"c.txt{suffix}", LINES, opener))
    expected = [line.split() for line in LINES]
    assert list(corpus) == expected
    assert list(corpus) == expected  # and again


def test_directories_globs_and_lists_name_files_in_order(tmp_path):
    for name in ("b.txt", "a.txt.gz", ".hidden"):
        _write(tmp_path / name, [name], gzip.open if name.endswith(".gz") else open)
    assert [doc for doc in LineCorpus(tmp_path)] == [["a.txt.gz"], ["b.txt"]]
    assert list(LineCorpus(str(tmp_path / "*.txt"))) == [["b.txt"]]
    assert list(LineCorpus([tmp_path / "b.txt", tmp_path / "a.txt.gz"])) == [
        ["b.txt"],
        ["a.txt.gz"],
    ]
    assert list(LineCorpus(tmp_path, max_documents=1)) == [["a.txt.gz"]]


def test_nothing_found_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        LineCorpus(tmp_path / "nope.txt")
    with pytest.raises(FileNotFoundError, match="names no file"):
        LineCorpus(str(tmp_path / "*.none"))


def test_fit_and_transform_take_a_corpus_and_agree_with_lists(tmp_path):
    path = _write(tmp_path / "c.txt", LINES)
    params = dict(vector_size=8, min_count=1, epochs=2, n_jobs=1, random_state=0)
    from_file = Word2VecTransformer(**params).fit(LineCorpus(path))
    from_lists = Word2VecTransformer(**params).fit([line.split() for line in LINES])
    np.testing.assert_array_equal(from_file.wv_.vectors, from_lists.wv_.vectors)
    np.testing.assert_array_equal(
        from_file.transform(LineCorpus(path)),
        from_lists.transform([line.split() for line in LINES]),
    )


def test_an_analyzer_tokenizes_each_line(tmp_path):
    path = _write(tmp_path / "c.txt", ["The Cat, sat."])
    assert list(LineCorpus(path, analyzer=lambda s: s.lower().split())) == [["the", "cat,",
                                                                             "sat."]]  # fmt: skip
    with pytest.raises(TypeError, match="not a list of tokens"):
        Word2VecTransformer(min_count=1).fit(LineCorpus(path, analyzer=str.lower))


def test_a_path_passed_as_documents_points_to_line_corpus(tmp_path):
    path = _write(tmp_path / "c.txt", LINES)
    with pytest.raises(TypeError, match="LineCorpus"):
        Word2VecTransformer(min_count=1).fit(path)
    with pytest.raises(TypeError, match="LineCorpus"):
        Word2VecTransformer(min_count=1).fit(str(path))


def test_undecodable_bytes_name_the_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok line\n\xff\xfe bad\n")
    with pytest.raises(ValueError, match=r"bad\.txt"):
        list(LineCorpus(path))
    assert next(iter(LineCorpus(path, errors="replace"))) == ["ok", "line"]


def _python_path(corpus):
    """count_and_encode through the generic (line.split(), dict) path."""
    from skw2v._training.corpus import count_and_encode

    return count_and_encode(iter(list(corpus)))


def _same_encoding(corpus):
    from skw2v._training.corpus import count_and_encode

    fast_types, fast = count_and_encode(corpus)
    slow_types, slow = _python_path(corpus)
    assert fast_types == slow_types
    np.testing.assert_array_equal(fast.indptr, slow.indptr)
    empty = np.zeros(0, np.int32)
    np.testing.assert_array_equal(
        np.concatenate([empty, *fast.chunks]), np.concatenate([empty, *slow.chunks])
    )


TRICKY = [
    b"plain words here\n",
    b"\n\n  \t \nspaces\x0bvertical\x0cform\x1cfile\x1fsep\n",
    b"old\rmac\r\nwindows\r\n\r\nunix\n",
    "nbsp\u00a0ideographic\u3000em\u2003thin\u2009line\u2028para\u2029nel\u0085x\n".encode(),
    "caf\u00e9 na\u00efve \u65e5\u672c\u8a9e \U0001f600 \u00a0\u00a0\n".encode(),
    b"no final newline",
    b"only spaces on the last line\n   ",
    b"",
]


@pytest.mark.parametrize("raw", TRICKY)
def test_the_byte_tokenizer_splits_like_str_split(tmp_path, raw):
    path = tmp_path / "c.txt"
    path.write_bytes(raw)
    _same_encoding(LineCorpus(path))


def test_the_byte_tokenizer_across_pieces_files_and_table_growth(tmp_path, monkeypatch):
    from skw2v import _reader

    monkeypatch.setattr(_reader, "READ_BYTES", 7)  # lines and \r\n cut across reads
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(5000)]  # more types than the first table holds
    for k in range(2):
        lines = [" ".join(rng.choice(words, rng.integers(0, 9))) for _ in range(400)]
        (tmp_path / f"part{k}.txt.gz").write_bytes(gzip.compress("\r\n".join(lines).encode()))
    _same_encoding(LineCorpus(tmp_path))


def test_invalid_utf8_in_a_word_names_the_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok line\nbad \xff\xfe word\n")
    from skw2v._training.corpus import count_and_encode

    with pytest.raises(ValueError, match=r"bad\.txt"):
        count_and_encode(LineCorpus(path))


def test_one_long_line_is_read_in_pieces_cut_at_spaces(tmp_path, monkeypatch):
    from skw2v import _reader

    monkeypatch.setattr(_reader, "READ_BYTES", 5)
    rng = np.random.default_rng(1)
    line = " ".join(rng.choice(["a", "bb", "ccc", "caf\u00e9", "x\u3000y", "t\tu"], 500))
    path = tmp_path / "text8.txt"
    path.write_bytes(line.encode())  # one line, no newline, like text8
    with open(path, "rb") as handle:
        pieces = list(_reader._whole_lines(handle))
    assert len(pieces) > 100 and max(len(data) for data, _ in pieces) < 40  # no pile-up
    _same_encoding(LineCorpus(path))
