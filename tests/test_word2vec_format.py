import gzip

import numpy as np
import pytest

from skw2v import WordVectors


@pytest.fixture
def wv():
    rng = np.random.default_rng(0)
    words = ["the", "über", "naïve", "東京", "x", "cat"]
    vectors = rng.normal(size=(len(words), 7)).astype(np.float32)
    vectors[4] = [1e-30, -0.0, 3.4e38, 1.0, -1.0, 0.1, 1 / 3]  # awkward float32 values
    return WordVectors(vectors, words, counts=[60, 50, 40, 30, 20, 10])


def assert_same(a: WordVectors, b: WordVectors):
    assert a.index_to_key == b.index_to_key
    assert a.vectors.dtype == b.vectors.dtype == np.float32
    assert np.array_equal(a.vectors.view(np.uint32), b.vectors.view(np.uint32))  # bit-exact


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip_is_bit_exact(tmp_path, wv, binary, suffix):
    path = tmp_path / f"vectors{suffix}"
    wv.save_word2vec_format(path, binary=binary)
    assert_same(WordVectors.load_word2vec_format(path, binary=binary), wv)


def test_counts_travel_in_the_vocabulary_file(tmp_path, wv):
    wv.save_word2vec_format(tmp_path / "v.txt", fvocab=tmp_path / "vocab.txt")
    loaded = WordVectors.load_word2vec_format(tmp_path / "v.txt", fvocab=tmp_path / "vocab.txt")
    assert loaded.counts.tolist() == wv.counts.tolist()
    assert WordVectors.load_word2vec_format(tmp_path / "v.txt").counts.tolist() == [0] * 6


def test_limit_reads_only_the_first_words(tmp_path, wv):
    for binary in (False, True):
        wv.save_word2vec_format(tmp_path / "v", binary=binary)
        loaded = WordVectors.load_word2vec_format(tmp_path / "v", binary=binary, limit=2)
        assert loaded.index_to_key == ["the", "über"]
        assert np.array_equal(loaded.vectors, wv.vectors[:2])


def test_header_less_text_files_are_read(tmp_path):
    (tmp_path / "glove.txt").write_text("a 1.0 2.0\nb 3.0 4.5\n", encoding="utf-8")
    loaded = WordVectors.load_word2vec_format(tmp_path / "glove.txt", no_header=True)
    assert loaded.index_to_key == ["a", "b"]
    assert loaded.vectors.tolist() == [[1.0, 2.0], [3.0, 4.5]]


def test_binary_files_without_newlines_are_read(tmp_path, wv):
    # gensim writes binary rows without word2vec.c's trailing newline
    body = b"".join(w.encode() + b" " + v.tobytes() for w, v in zip(wv.index_to_key, wv.vectors))
    (tmp_path / "v.bin").write_bytes(b"6 7\n" + body)
    assert_same(WordVectors.load_word2vec_format(tmp_path / "v.bin", binary=True), wv)


def test_duplicate_words_keep_the_first_vector_with_a_warning(tmp_path):
    (tmp_path / "v.txt").write_text("3 2\na 1 2\nb 3 4\na 5 6\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="duplicate word 'a'"):
        loaded = WordVectors.load_word2vec_format(tmp_path / "v.txt")
    assert loaded.index_to_key == ["a", "b"] and loaded.vectors[0].tolist() == [1, 2]


def test_words_with_white_space_cannot_be_written(tmp_path):
    with pytest.raises(ValueError, match="no white space"):
        WordVectors(np.ones((1, 2)), ["new york"]).save_word2vec_format(tmp_path / "v")


@pytest.mark.parametrize(
    "content, match",
    [
        (b"", "line 1 must be the header"),
        (b"three 2\na 1 2\n", "line 1 must be the header"),
        (b"2 0\n", "sizes must be positive"),
        (b"3 2\na 1 2\nb 3 4\n", "file ends after 2 of the 3 words"),
        (b"2 2\na 1 2\nb 3 4 5\n", "line 3: expected a word and 2 values, found 3"),
        (b"2 2\na 1 2\nb 3\n", "line 3: expected a word and 2 values, found 1"),
        (b"2 2\na 1 2\nb 3 x\n", "line 3: a value of word 'b' is not a number"),
        (b"2 2\na 1 2\n\xffb 3 4\n", "line 3: invalid UTF-8"),
    ],
)
def test_damaged_text_files_name_the_problem(tmp_path, content, match):
    (tmp_path / "bad.txt").write_bytes(content)
    with pytest.raises(ValueError, match=match):
        WordVectors.load_word2vec_format(tmp_path / "bad.txt")


def test_damaged_binary_files_name_the_byte_offset(tmp_path, wv):
    wv.save_word2vec_format(tmp_path / "v.bin", binary=True)
    data = (tmp_path / "v.bin").read_bytes()
    (tmp_path / "cut.bin").write_bytes(data[:-10])
    with pytest.raises(ValueError, match=r"file ends at byte \d+ while reading word 6 of 6"):
        WordVectors.load_word2vec_format(tmp_path / "cut.bin", binary=True)
    start = data.index(b"cat ")
    broken = data[:start] + b"\xff\xfe" + data[start + 2 :]
    (tmp_path / "utf8.bin").write_bytes(broken)
    with pytest.raises(ValueError, match=f"byte offset {start}: invalid UTF-8"):
        WordVectors.load_word2vec_format(tmp_path / "utf8.bin", binary=True)
    (tmp_path / "big.bin").write_bytes(b"7 7\n" + data[4:])  # header claims one word more
    with pytest.raises(ValueError, match=r"announces 7 rows of 7 float32 values.*truncated"):
        WordVectors.load_word2vec_format(tmp_path / "big.bin", binary=True)


gensim_models = pytest.importorskip("gensim.models")


def _gensim(wv: WordVectors):
    kv = gensim_models.KeyedVectors(vector_size=wv.vector_size, dtype=np.float32)
    kv.add_vectors(list(wv.index_to_key), wv.vectors)
    for word, count in zip(wv.index_to_key, wv.counts):
        kv.set_vecattr(word, "count", int(count))
    return kv


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_what_we_write(tmp_path, wv, binary):
    wv.save_word2vec_format(tmp_path / "ours", binary=binary, fvocab=tmp_path / "vocab")
    kv = gensim_models.KeyedVectors.load_word2vec_format(
        str(tmp_path / "ours"), binary=binary, fvocab=str(tmp_path / "vocab")
    )
    assert kv.index_to_key == wv.index_to_key
    assert np.array_equal(kv.vectors.view(np.uint32), wv.vectors.view(np.uint32))
    assert [kv.get_vecattr(w, "count") for w in kv.index_to_key] == wv.counts.tolist()


@pytest.mark.parametrize("binary", [False, True])
def test_we_read_what_gensim_writes(tmp_path, wv, binary):
    _gensim(wv).save_word2vec_format(str(tmp_path / "theirs"), binary=binary,
                                     fvocab=str(tmp_path / "vocab"))  # fmt: skip
    loaded = WordVectors.load_word2vec_format(tmp_path / "theirs", binary=binary,
                                              fvocab=tmp_path / "vocab")  # fmt: skip
    assert_same(loaded, wv)
    assert loaded.counts.tolist() == wv.counts.tolist()


def test_text_output_is_byte_identical_to_gensims(tmp_path, wv):
    wv.save_word2vec_format(tmp_path / "ours.txt")
    _gensim(wv).save_word2vec_format(str(tmp_path / "theirs.txt"))
    assert (tmp_path / "ours.txt").read_bytes() == (tmp_path / "theirs.txt").read_bytes()


def test_gzip_files_are_plain_gzip(tmp_path, wv):
    wv.save_word2vec_format(tmp_path / "v.txt.gz")
    with gzip.open(tmp_path / "v.txt.gz", "rt", encoding="utf-8") as handle:
        assert handle.readline() == "6 7\n"


@pytest.mark.parametrize("suffix", [".bz2", ".xz"])
def test_bz2_and_xz_vector_files_round_trip(tmp_path, suffix):
    wv = WordVectors(np.eye(3, dtype=np.float32), ["a", "b", "c"])
    for binary in (False, True):
        path = tmp_path / f"v{int(binary)}.txt{suffix}"
        wv.save_word2vec_format(path, binary=binary)
        loaded = WordVectors.load_word2vec_format(path, binary=binary)
        assert loaded.index_to_key == wv.index_to_key
        np.testing.assert_array_equal(loaded.vectors, wv.vectors)


def test_a_limit_beyond_a_headerless_file_reads_it_all(tmp_path):
    from skw2v import WordVectors

    (tmp_path / "glove.txt").write_text("cat 1 2\ndog 3 4\n")
    wv = WordVectors.load_word2vec_format(tmp_path / "glove.txt", no_header=True, limit=10)
    assert wv.index_to_key == ["cat", "dog"]
