"""Reliability, round 2: the cases found by trying files, disk corpora, the command line
and paragraph vectors the way a hostile user, a full disk and a damaged download would.

One test (or one parametrized group) per case of the issue, in its order: crashes, silent
wrong results, unclear errors and leaks. Each failed on the code before the fix.
"""

from __future__ import annotations

import bz2
import errno
import os
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from skw2v import (
    Doc2VecTransformer,
    LineCorpus,
    SubwordVectors,
    Word2VecTransformer,
    WordVectors,
    WordVectorsTransformer,
    _reader,
)
from skw2v._cli import main
from skw2v._io.storage import StorageFullError
from skw2v._training.driver import TrainingDivergedError

DOCS = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "ran", "to", "the", "park"]] * 30


def _corpus_file(path: Path, n_lines: int, seed: int = 0) -> Path:
    """``n_lines`` lines of 20 words drawn from 50,000 distinct words."""
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(50_000)])
    picks = words[rng.integers(0, words.shape[0], size=(n_lines, 20))]
    path.write_text("\n".join(map(" ".join, picks)) + "\n")
    return path


# ------------------------------------------------------------------------- crashes
def test_a_failed_space_reservation_is_a_clear_error_and_removes_the_folder(tmp_path, monkeypatch):
    """A full disk while the corpus arrays are reserved: an OSError naming the folder and
    the bytes needed (before: the arrays were sparse files, and the first write through
    the map into a disk with no room killed the process with SIGBUS)."""

    def full(fd, offset, length):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "posix_fallocate", full)
    model = Word2VecTransformer(min_count=1, vector_size=8, epochs=1, n_jobs=1,
                                corpus_storage="disk", temp_folder=tmp_path)  # fmt: skip
    with pytest.raises(StorageFullError, match=r"No room .* in .*skw2v-corpus-.* needs [\d,]+ "
                                               r"more bytes.*temp_folder") as caught:  # fmt: skip
        model.fit(DOCS)
    assert isinstance(caught.value, OSError) and caught.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path) == []


def _tiny_filesystem_works() -> bool:
    if shutil.which("unshare") is None or sys.platform != "linux":
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1M tmpfs /mnt"],
                           capture_output=True)  # fmt: skip
    return probe.returncode == 0


@pytest.mark.skipif(not _tiny_filesystem_works(), reason="needs unshare and a tmpfs mount")
@pytest.mark.parametrize("size", ["3M", "6M", "8M"])  # full while appending, reserving, mapping
def test_a_real_full_file_system_gives_an_oserror_not_a_bus_error(tmp_path, size):
    corpus = _corpus_file(tmp_path / "corpus.txt", 60_000)
    mount = tmp_path / "tiny"
    mount.mkdir()
    script = textwrap.dedent(f"""
        import os
        from skw2v import LineCorpus, Word2VecTransformer
        model = Word2VecTransformer(min_count=1, vector_size=8, epochs=1, n_jobs=1,
                                    corpus_storage="disk", temp_folder={str(mount)!r})
        try:
            model.fit(LineCorpus({str(corpus)!r}))
        except OSError as exc:
            print("OSError", exc)
        print("left", os.listdir({str(mount)!r}))
    """)
    (tmp_path / "fit.py").write_text(script)
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c",
         f"mount -t tmpfs -o size={size} tmpfs {mount} && {sys.executable} {tmp_path}/fit.py"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]  # before: -7 (SIGBUS) for 6M and 8M
    assert "OSError [Errno 28] No room for the encoded corpus in" in done.stdout
    assert "left []" in done.stdout


class _CountingBytes(bytes):
    """Bytes that add to ``work`` the length of every search and concatenation they
    take part in (``bytes + _CountingBytes`` goes through ``__radd__``)."""

    work = 0

    def rfind(self, *args):
        _CountingBytes.work += len(self)
        return bytes.rfind(self, *args)

    def __add__(self, other):
        _CountingBytes.work += len(self) + len(other)
        return _CountingBytes(bytes(self) + bytes(other))

    def __radd__(self, other):
        _CountingBytes.work += len(self) + len(other)
        return _CountingBytes(bytes(other) + bytes(self))


class _Reads:
    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.pos = data, size, 0

    def read(self, n):
        piece = self.data[self.pos : self.pos + self.size]
        self.pos += len(piece)
        return _CountingBytes(piece)


@pytest.mark.parametrize(
    "line", [b"x" * (1 << 21), "\u4e2d\u6587".encode() * (1 << 18)], ids=["ascii", "cjk"]
)
def test_a_long_line_without_separator_is_read_in_linear_time(line, monkeypatch):
    """Each byte is searched and copied a bounded number of times (before: the carried
    rest of the line was copied and searched again on every read, 32 MB 1.2 s, 256 MB
    44 s). Timings: ``benchmarks/long_line.py``."""
    monkeypatch.setattr(_reader, "READ_BYTES", 1 << 10)
    data = b"a b\n" + line + b"\nc\r\n" + line + b"\r"
    _CountingBytes.work = 0
    pieces = list(_reader._whole_lines(_Reads(data, 1 << 10)))
    assert b"".join(piece for piece, _ in pieces) == data
    assert [final for _, final in pieces][-1] is True
    assert _CountingBytes.work <= 6 * len(data)  # before: ~1,000 times the line


def test_a_long_unsegmented_line_is_one_document_on_both_paths(tmp_path, monkeypatch):
    monkeypatch.setattr(_reader, "READ_BYTES", 1 << 10)
    text = "\u4e2d\u6587" * 5000 + "\u3000tail\r\n" + "x" * 3000 + "\r" + "y z"
    path = tmp_path / "long.txt"
    path.write_bytes(text.encode())
    fast = Word2VecTransformer(min_count=1, vector_size=4, epochs=1, n_jobs=1)
    fast.fit(LineCorpus(path))
    slow = Word2VecTransformer(min_count=1, vector_size=4, epochs=1, n_jobs=1)
    slow.fit(LineCorpus(path, errors="replace"))  # no fast path for errors="replace"
    assert fast.vocabulary_ == slow.vocabulary_
    assert fast.n_training_words_ == slow.n_training_words_ == 5


# ----------------------------------------------------------------- silent wrong results
def test_a_truncated_utf8_sequence_never_swallows_a_line_end(tmp_path):
    """``\\xe2\\x80`` then a newline read as a space joined two lines into one document
    in ``fit_transform`` (2 rows for 3 lines) while ``transform`` raised."""
    path = tmp_path / "bad.txt"
    path.write_bytes(b"the cat\xe2\x80\nsat dog\n")
    model = Word2VecTransformer(min_count=1, vector_size=4, epochs=1, n_jobs=1)
    with pytest.raises(ValueError, match=r"bad.txt: cannot be read"):
        model.fit_transform(LineCorpus(path))
    with pytest.raises(ValueError, match=r"bad.txt: cannot be read"):
        list(LineCorpus(path))
    path.write_bytes(b"the cat\xe2\x80\x80\nsat dog\n")  # U+2000, a real space
    assert model.fit_transform(LineCorpus(path)).shape == (2, 4)


def test_the_command_line_refuses_to_overwrite_its_input(tmp_path, capsys):
    corpus = _corpus_file(tmp_path / "corpus.txt", 50)
    before = corpus.read_bytes()
    flags = ["-min-count", "1", "-iter", "1", "-size", "4", "-debug", "0"]
    cases = [
        (["-output", str(corpus)], "-output .* is the training file"),
        (["-output", str(tmp_path / "v.txt"), "-save-vocab", str(corpus)],
         "-save-vocab .* is the training file"),
        (["-output", str(tmp_path / "v.txt"), "-save-vocab", str(tmp_path / "v.txt")],
         "name the same file"),
        (["-output", str(tmp_path / "." / "corpus.txt")], "is the training file"),
    ]  # fmt: skip
    for extra, message in cases:
        assert main(["train", "-train", str(corpus), *extra, *flags]) == 2
        assert __import__("re").search(message, capsys.readouterr().err)
    # an input given as its folder
    assert main(["train", "-train", str(tmp_path), "-output", str(corpus), *flags]) == 2
    assert "is the training file" in capsys.readouterr().err
    assert corpus.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["corpus.txt"]


def _text_and_binary(tmp_path: Path) -> tuple[Path, Path]:
    wv = WordVectors(np.arange(12, dtype=np.float32).reshape(3, 4) / 10, ["a", "b", "c"])
    text, binary = tmp_path / "v.txt", tmp_path / "v.bin"
    wv.save_word2vec_format(text)
    wv.save_word2vec_format(binary, binary=True)
    return text, binary


def test_a_text_vector_file_is_not_read_as_binary_garbage(tmp_path, capsys):
    text, binary = _text_and_binary(tmp_path)
    with pytest.raises(ValueError, match=r"v.txt is a word2vec text file .* binary=False"):
        WordVectors.load_word2vec_format(text, binary=True)
    with pytest.raises(ValueError, match=r"v.bin is a binary word2vec file .* binary=True"):
        WordVectors.load_word2vec_format(binary, binary=False)
    # binary=None reads the format from the first row
    detected = [WordVectors.load_word2vec_format(path, binary=None) for path in (text, binary)]
    assert np.array_equal(detected[0].vectors, detected[1].vectors)
    # the command line reads the format from the content, not the name
    assert main(["similar", str(text), "a", "-n", "2"]) == 0
    expected = capsys.readouterr().out
    assert expected.startswith("a\n  b\t0.") and expected.count("\n") == 3
    shutil.copy(text, tmp_path / "named.bin")
    assert main(["similar", str(tmp_path / "named.bin"), "a", "-n", "2"]) == 0
    assert capsys.readouterr().out == expected
    shutil.copy(binary, tmp_path / "named.txt")
    assert main(["similar", str(tmp_path / "named.txt"), "a", "-n", "2"]) == 0
    assert capsys.readouterr().out == expected
    assert main(["similar", "--binary", str(text), "a"]) == 2
    assert "not binary" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e40", "NaN"])
def test_non_finite_values_in_a_text_vector_file_name_the_line(tmp_path, value):
    path = tmp_path / "v.txt"
    path.write_text(f"3 2\na 0.5 1\nb 1 {value}\nc 1 2\n")
    with pytest.raises(ValueError, match=r"v.txt: line 3: word 'b' has a value that is not a "
                                         r"finite float32 number \((-?inf|nan)"):  # fmt: skip
        WordVectors.load_word2vec_format(path)
    path.write_text(f"a 0.5 1\nb {value} 1\n")
    with pytest.raises(ValueError, match="line 2: word 'b'"):
        WordVectors.load_word2vec_format(path, no_header=True)


def test_non_finite_values_in_a_binary_vector_file_name_the_row(tmp_path):
    _, binary = _text_and_binary(tmp_path)
    data = bytearray(binary.read_bytes())
    start = data.index(b"b ") + 2
    data[start + 4 : start + 8] = struct.pack("<f", np.inf)
    binary.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"v.bin: row 2 \(word 'b'\) has a value that is not "
                                         r"a finite float32 number \(inf"):  # fmt: skip
        WordVectors.load_word2vec_format(binary, binary=True)


def test_word_vectors_refuse_non_finite_rows():
    vectors = np.ones((3, 2), dtype=np.float32)
    vectors[2, 1] = np.nan
    with pytest.raises(ValueError, match="row 2 holds NaN or infinite"):
        WordVectors(vectors, ["a", "b", "c"])


def _facebook_file(path: Path, n_words: int = 50, buckets: int = 100) -> Path:
    rng = np.random.default_rng(0)
    words = [f"word{i}" for i in range(n_words)]
    matrix = rng.normal(size=(n_words + buckets, 8)).astype(np.float32)
    SubwordVectors(matrix, words, np.arange(n_words, 0, -1)).save_facebook_format(path)
    return path


@pytest.mark.parametrize("limit", [-1, -1000, 2.5, True, "3"])
def test_load_facebook_format_validates_limit(tmp_path, limit):
    """``limit=-1`` gave 7 words of a 50-word file, with the rows of other words."""
    path = _facebook_file(tmp_path / "m.bin")
    with pytest.raises(ValueError, match="limit must be None or an int >= 0"):
        SubwordVectors.load_facebook_format(path, limit=limit)
    assert len(SubwordVectors.load_facebook_format(path, limit=7)) == 7


def test_negative_word_counts_are_refused_in_every_source(tmp_path):
    path = _facebook_file(tmp_path / "m.bin")
    data = bytearray(path.read_bytes())
    count_at = data.index(b"word3\0") + len(b"word3\0")
    data[count_at : count_at + 8] = struct.pack("<q", -5)
    (tmp_path / "neg.bin").write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"neg.bin is not a valid fastText .bin file: word 3 has "
                                         r"the negative count -5"):  # fmt: skip
        SubwordVectors.load_facebook_format(tmp_path / "neg.bin")
    text, _ = _text_and_binary(tmp_path)
    (tmp_path / "vocab.txt").write_text("a 3\nb -5\nc 1\n")
    with pytest.raises(ValueError, match=r"vocab.txt: line 2 must be '<word> <count>' with a "
                                         "count >= 0"):  # fmt: skip
        WordVectors.load_word2vec_format(text, fvocab=tmp_path / "vocab.txt")
    with pytest.raises(ValueError, match=r"counts must be >= 0.*word 1 has -5"):
        WordVectors(np.eye(2, dtype=np.float32), ["a", "b"], counts=[5, -5])


def test_sif_weights_of_counts_that_sum_to_zero_are_a_clear_error():
    """Counts summing to 0 gave ``LinAlgError`` from the principal component."""
    wv = WordVectors(np.eye(3, dtype=np.float32), ["a", "b", "c"], counts=[1, 1, 1])
    wv.counts = np.array([5, -5, 0], dtype=np.int64)  # changed in memory after checks
    with pytest.raises(ValueError, match="counts"):
        WordVectorsTransformer(wv, pooling="sif").fit([["a", "b"], ["c"]])


def test_most_similar_of_a_zero_vector_is_an_error_not_nan_scores():
    wv = WordVectors(np.array([[0, 0], [1, 0], [0, 1]], np.float32), ["z", "a", "b"])
    with pytest.raises(ValueError, match="is a zero vector"):
        wv.most_similar("z")
    with pytest.raises(ValueError, match="is a zero vector"):
        wv.most_similar(np.zeros(2, np.float32))
    with pytest.raises(ValueError, match="is a zero vector"):
        wv.most_similar(positive=["a"], negative=["a"])
    scores = [score for _, score in wv.most_similar("a", topn=2)]
    assert np.isfinite(scores).all()  # a zero row among the candidates scores 0


def test_normalized_sum_of_huge_vectors_is_finite():
    """The float32 sum of vectors near float32's maximum overflowed: inf / inf = NaN."""
    wv = WordVectors(np.full((2, 3), 3e38, np.float32) * [[1, 1, 1], [1, -1, 1]], ["a", "b"])
    model = WordVectorsTransformer(wv, pooling="sum", normalize=True).fit()
    out = model.transform([["a", "a", "a"], ["a", "b", "a"]])
    assert np.isfinite(out).all()
    # a + b + a = (3, 1, 3) x 3e38: the direction (3, 1, 3) / sqrt(19)
    np.testing.assert_allclose(out, [[3**-0.5] * 3, [3 / 19**0.5, 1 / 19**0.5, 3 / 19**0.5]],
                               rtol=1e-6)  # fmt: skip


def test_a_word_with_a_lone_surrogate_is_refused_not_saved_as_other_text(tmp_path):
    matrix = np.zeros((2 + 10, 4), dtype=np.float32)
    wv = SubwordVectors(matrix, ["ok", "bad\udc80word"], min_n=3, max_n=4)
    with pytest.raises(ValueError, match=r"not valid Unicode text.*lone surrogate"):
        wv.save_facebook_format(tmp_path / "m.bin")
    with pytest.raises(ValueError, match="not valid Unicode text"):
        WordVectors(np.eye(2, dtype=np.float32), ["ok", "bad\udc80"]).save_word2vec_format(
            tmp_path / "v.bin", binary=True
        )
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("params", [
    dict(objective="hierarchical_softmax"),
    dict(objective="hierarchical_softmax", architecture="cbow"),
    dict(objective="hierarchical_softmax", subwords=(3, 4), buckets=500),
    dict(objective="negative_sampling"),
    dict(objective="negative_sampling", architecture="cbow", shared_negatives=False),
])  # fmt: skip
def test_divergence_is_detected_for_every_word_objective(params, kjv_docs):
    docs = kjv_docs[0][:400]
    model = Word2VecTransformer(alpha=1e6, min_count=1, vector_size=16, epochs=1, n_jobs=1,
                                random_state=0, **params)  # fmt: skip
    with pytest.raises(TrainingDivergedError, match="Training diverged"):
        model.fit(docs)


@pytest.mark.parametrize("mode", ["dbow", "dm"])
@pytest.mark.parametrize("objective", ["hierarchical_softmax", "negative_sampling"])
def test_divergence_is_detected_in_paragraph_vector_training_and_inference(
    mode, objective, kjv_docs
):
    """Inference with a huge learning rate returned vectors of norm ~1e6 without a word."""
    docs = kjv_docs[0][:400]
    params = dict(mode=mode, objective=objective, min_count=1, vector_size=16, epochs=2,
                  n_jobs=1, random_state=0)  # fmt: skip
    with pytest.raises(TrainingDivergedError, match="Training diverged"):
        Doc2VecTransformer(alpha=1e6, **params).fit(docs)
    model = Doc2VecTransformer(**params).fit(docs)
    with pytest.raises(TrainingDivergedError, match="Inference diverged"):
        model.set_params(alpha=1e6).transform(docs[:20])


@pytest.fixture(scope="module")
def doc2vec_models():
    params = dict(vector_size=8, min_count=1, epochs=2, n_jobs=1, random_state=0)
    return {mode: Doc2VecTransformer(mode=mode, **params).fit(DOCS) for mode in ("dbow", "dm")}


@pytest.mark.parametrize("mode", ["dbow", "dm"])
@pytest.mark.parametrize("change", [
    dict(infer_epochs=0), dict(infer_epochs=-1), dict(window=0), dict(window=-1),
    dict(alpha=-0.1), dict(alpha=0.0), dict(negative=10**7), dict(min_alpha=-1.0),
    dict(sample=-1.0), dict(n_jobs="two"),
])  # fmt: skip
def test_inference_parameters_changed_after_fit_are_validated(doc2vec_models, mode, change):
    """``infer_epochs=0`` gave all-zero vectors; ``window=0`` on PV-DM a
    ``ZeroDivisionError``; ``alpha<0`` and ``negative=10**7`` were accepted."""
    model = doc2vec_models[mode]
    original = model.get_params()
    try:
        model.set_params(**change)
        with pytest.raises(ValueError, match=f"The '{next(iter(change))}' parameter"):
            model.transform(DOCS[:2])
    finally:
        model.set_params(**original)
    assert np.abs(model.transform(DOCS[:2])).sum() > 0


# ------------------------------------------------------------ unclear errors and leaks
def test_a_huge_max_n_trains_and_transforms_without_allocating_for_it():
    """``subwords=(1, 10**9)`` failed after training with numba's MemoryError (a scratch
    buffer sized by max_n, although no n-gram is longer than its word)."""
    model = Word2VecTransformer(subwords=(1, 10**9), buckets=200, min_count=1, vector_size=4,
                                epochs=1, n_jobs=1, random_state=0)  # fmt: skip
    assert model.fit_transform(DOCS).shape == (len(DOCS), 4)
    assert np.isfinite(model.wv_["catalogue"]).all()


def test_a_facebook_file_with_a_huge_maxn_loads(tmp_path):
    path = _facebook_file(tmp_path / "m.bin")
    data = bytearray(path.read_bytes())
    maxn_at = 8 + 4 * 10  # magic, version, then the 11th argument
    assert struct.unpack_from("<i", data, maxn_at)[0] == 6
    data[maxn_at : maxn_at + 4] = struct.pack("<i", 2**31 - 1)
    (tmp_path / "huge.bin").write_bytes(bytes(data))
    wv = SubwordVectors.load_facebook_format(tmp_path / "huge.bin")
    assert wv.max_n == 2**31 - 1 and np.isfinite(wv["unseen"]).all()


def test_a_binary_header_announcing_more_rows_than_the_file_holds(tmp_path, capsys):
    """A header declaring 10^12 rows asked numpy for 4 TiB, then a 28-line traceback."""
    path = tmp_path / "huge.bin"
    path.write_bytes(b"1000000000000 100\nword " + bytes(400) + b"\n")
    with pytest.raises(ValueError, match=r"huge.bin: the header announces 1,000,000,000,000 rows"):
        WordVectors.load_word2vec_format(path, binary=True)
    assert main(["similar", str(path), "word"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "announces 1,000,000,000,000 rows" in err
    with bz2.open(tmp_path / "huge.bin.bz2", "wb") as out:
        out.write(b"1000000000000 100000\n")
    with pytest.raises(ValueError, match="more than this machine's memory"):
        WordVectors.load_word2vec_format(tmp_path / "huge.bin.bz2", binary=True)


def test_damaged_bz2_files_are_value_errors_naming_the_file(tmp_path):
    text, _ = _text_and_binary(tmp_path)
    damaged = bz2.compress(text.read_bytes())
    damaged = damaged[:20] + bytes(len(damaged) - 20)
    (tmp_path / "v.txt.bz2").write_bytes(damaged)
    with pytest.raises(ValueError, match=r"v.txt.bz2: the compressed file is truncated or "
                                         "corrupted"):  # fmt: skip
        WordVectors.load_word2vec_format(tmp_path / "v.txt.bz2")
    (tmp_path / "c.txt.bz2").write_bytes(damaged)
    with pytest.raises(ValueError, match=r"c.txt.bz2: cannot be read"):
        list(LineCorpus(tmp_path / "c.txt.bz2"))
    fasttext = _facebook_file(tmp_path / "m.bin").read_bytes()
    packed = bz2.compress(fasttext)
    (tmp_path / "m.bin.bz2").write_bytes(packed[:40] + bytes(len(packed) - 40))
    with pytest.raises(ValueError, match=r"m.bin.bz2 is not a valid fastText .bin file: the "
                                         "compressed stream is damaged"):  # fmt: skip
        SubwordVectors.load_facebook_format(tmp_path / "m.bin.bz2")
    with pytest.raises(FileNotFoundError):  # a missing file is not "damaged"
        WordVectors.load_word2vec_format(tmp_path / "missing.txt.bz2")


@pytest.mark.parametrize("count", ["--5", "5x", "", "١٢", "1e3"])
def test_a_bad_count_in_a_vocabulary_file_names_the_file_and_line(tmp_path, count):
    text, _ = _text_and_binary(tmp_path)
    (tmp_path / "vocab.txt").write_text(f"a 3\nb {count}\n")
    with pytest.raises(ValueError, match=r"vocab.txt: line 2 must be '<word> <count>'"):
        WordVectors.load_word2vec_format(text, fvocab=tmp_path / "vocab.txt")


@pytest.mark.parametrize("counts", [[1], [1, 2, 3], [[1, 2]], [1.5, 2]])
def test_word_vectors_check_the_counts_they_are_given(counts):
    with pytest.raises(ValueError, match="counts must"):
        WordVectors(np.eye(2, dtype=np.float32), ["a", "b"], counts=counts)


def test_the_command_line_checks_the_output_folder_before_training(tmp_path, capsys,
                                                                   monkeypatch):  # fmt: skip
    corpus = _corpus_file(tmp_path / "corpus.txt", 50)

    def no_training(self, X, y=None):
        raise AssertionError("trained before checking the output")

    monkeypatch.setattr(Word2VecTransformer, "fit", no_training)
    for flag in ("-output", "-save-vocab"):
        extra = {"-output": str(tmp_path / "v.txt")}
        extra[flag] = str(tmp_path / "missing" / "out.txt")
        args = [item for pair in extra.items() for item in pair]
        assert main(["train", "-train", str(corpus), *args, "-debug", "0"]) == 2
        err = capsys.readouterr().err
        assert f"{flag} " in err and "missing does not exist" in err and ".tmp" not in err
    assert main(["train", "-train", str(corpus), "-output", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_evaluate_says_why_a_correlation_is_undefined(tmp_path, capsys):
    """Constant model scores printed ``spearman nan`` with exit code 0."""
    (tmp_path / "v.txt").write_text("3 2\na 1 0\nb 1 0\nc 1 0\n")
    (tmp_path / "pairs.tsv").write_text("a\tb\t1\na\tc\t2\nb\tc\t3\n")
    assert main(["evaluate", str(tmp_path / "v.txt"), "--pairs", str(tmp_path / "pairs.tsv")]) == 2
    assert "similarities of the 3 pairs in the vocabulary are all equal" in (
        capsys.readouterr().err)  # fmt: skip
    (tmp_path / "pairs.tsv").write_text("a\tb\t5\na\tc\t5\n")
    with pytest.raises(ValueError, match=r"human scores .* are all equal"):
        WordVectors(np.eye(3, dtype=np.float32), list("abc")).evaluate_word_pairs(
            tmp_path / "pairs.tsv")  # fmt: skip


def test_sigterm_during_a_disk_fit_removes_the_corpus_folder(tmp_path):
    corpus = _corpus_file(tmp_path / "corpus.txt", 20_000)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    script = textwrap.dedent(f"""
        from skw2v import LineCorpus, Word2VecTransformer
        Word2VecTransformer(min_count=1, vector_size=16, epochs=100_000, n_jobs=1,
                            corpus_storage="disk", temp_folder={str(scratch)!r}
                            ).fit(LineCorpus({str(corpus)!r}))
    """)
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 120
        while not os.listdir(scratch) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.listdir(scratch), "the fit never created its folder"
        time.sleep(1.0)  # into the training epochs
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == -signal.SIGTERM  # still ended by the signal
    finally:
        process.kill()
    assert os.listdir(scratch) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # this process: untouched


def test_the_sigterm_handler_is_installed_only_during_a_disk_fit(tmp_path):
    seen = []

    class Spy(list):
        def __iter__(self):
            seen.append(signal.getsignal(signal.SIGTERM))
            return super().__iter__()

    Word2VecTransformer(min_count=1, vector_size=4, epochs=1, n_jobs=1, corpus_storage="disk",
                        temp_folder=tmp_path).fit(Spy(DOCS))  # fmt: skip
    assert seen and seen[0] is not signal.SIG_DFL
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    Word2VecTransformer(min_count=1, vector_size=4, epochs=1, n_jobs=1,
                        corpus_storage="memory").fit(Spy(DOCS))  # fmt: skip
    assert seen[-1] is signal.SIG_DFL
