"""Reading and writing the word2vec.c text and binary formats (.gz, .bz2, .xz too).

Text: a header ``"<n_words> <vector_size>\\n"``, then one line per word:
``"<word> <v1> ... <vD>\\n"`` (values written as the shortest decimal that round-trips
in float32, as gensim does). Binary: the same header, then per word ``"<word> "``
followed by ``vector_size`` little-endian float32 values and ``"\\n"`` (word2vec.c
writes the newline, gensim does not; both are read). Word counts are not part of the
format: they go to an optional vocabulary file of ``"<word> <count>\\n"`` lines
(``fvocab``, as in word2vec.c's ``-save-vocab`` and gensim).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from numbers import Integral

import numpy as np

from .files import DAMAGED_COMPRESSED, OPENERS, atomic_open, first_non_finite_row, open_file

_FLOAT = np.dtype("<f4")


def _check_storable(word: object) -> bytes:
    """``word`` as UTF-8, or a ``ValueError`` saying why it cannot be stored."""
    if not isinstance(word, str) or not word or any(c.isspace() for c in word):
        raise ValueError(
            f"Word {word!r} cannot be stored in word2vec format: words must be non-empty "
            "strings and contain no white space."
        )
    try:
        return word.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"Word {word!r} cannot be stored in word2vec format: it is not valid Unicode "
            f"text ({exc.reason}, e.g. a lone surrogate); remove or repair it first."
        ) from None


def write_word2vec(
    path: str | os.PathLike,
    words: Sequence[str],
    vectors: np.ndarray,
    *,
    binary: bool = False,
    counts: np.ndarray | None = None,
    fvocab: str | os.PathLike | None = None,
) -> None:
    """Write ``words`` and their ``vectors`` (float32) in word2vec.c format."""
    vectors = np.asarray(vectors, dtype=_FLOAT)
    encoded = [_check_storable(word) for word in words]  # before any file is touched
    if fvocab is not None and counts is None:
        raise ValueError("fvocab needs word counts, but none were given.")
    with atomic_open(path) as out:
        out.write(f"{len(words)} {vectors.shape[1]}\n".encode())
        for word, row in zip(encoded, vectors):
            if binary:
                out.write(word + b" " + row.tobytes() + b"\n")
            else:
                out.write(word + f" {' '.join(map(str, row))}\n".encode())
    if fvocab is not None:
        with atomic_open(fvocab) as out:
            for word, count in zip(encoded, counts):
                out.write(word + f" {int(count)}\n".encode())


def _header(line: bytes, path) -> tuple[int, int]:
    fields = line.split()
    try:
        n_words, dim = (int(f) for f in fields)
    except ValueError:
        raise ValueError(
            f"{path}: line 1 must be the header '<n_words> <vector_size>', got {line[:80]!r}. "
            "For a file without header (e.g. GloVe text), pass no_header=True."
        ) from None
    if n_words < 0 or dim <= 0:
        raise ValueError(f"{path}: invalid header {line.strip()!r}: sizes must be positive.")
    return n_words, dim


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{where}: invalid UTF-8 in word {raw[:60]!r} ({exc.reason}).") from None


def _read_text_rows(lines, path, first_line: int, n_words: int, dim: int | None):
    words: list[str] = []
    rows: list[np.ndarray] = []
    for number, line in enumerate(lines, start=first_line):
        if len(words) == n_words:
            break
        where = f"{path}: line {number}"
        fields = _decode(line, where).rstrip("\r\n").rstrip(" ").split(" ")
        if dim is None:
            dim = len(fields) - 1
        if len(fields) != dim + 1:
            raise ValueError(
                f"{where}: expected a word and {dim} values, found {len(fields) - 1} values."
            )
        try:
            with np.errstate(over="ignore"):  # 1e40 becomes inf in float32: refused later
                rows.append(np.array(fields[1:], dtype=_FLOAT))
        except ValueError:
            raise ValueError(f"{where}: a value of word {fields[0]!r} is not a number.") from None
        words.append(fields[0])
    return words, rows, dim


def _read_binary_rows(handle, path, n_words: int, dim: int, start: int):
    """Read ``n_words`` binary rows, at least 1 MiB at a time; ``start`` is the file offset.

    A read asks for at least what the current row still lacks, or as much again as the
    buffer holds while no word end is in sight, so long rows are read in linear time.
    """
    words: list[str] = []
    vectors = np.empty((n_words, dim), dtype=_FLOAT)
    width = dim * _FLOAT.itemsize
    buffer, base, pos = b"", start, 0
    for i in range(n_words):
        while True:
            while pos < len(buffer) and buffer[pos] == 0x0A:  # word2vec.c's "\n"
                pos += 1
            space = buffer.find(b" ", pos)
            if space >= 0 and space + 1 + width <= len(buffer):
                break
            lacking = space + 1 + width - len(buffer) if space >= 0 else len(buffer) - pos
            more = handle.read(max(1 << 20, lacking))
            if not more:
                raise ValueError(
                    f"{path}: file ends at byte {base + len(buffer)} while reading word {i + 1} "
                    f"of {n_words} (which starts at byte offset {base + pos}); the file is "
                    "truncated or its header is wrong."
                )
            buffer, base, pos = buffer[pos:] + more, base + pos, 0
        words.append(_decode(buffer[pos:space], f"{path}: byte offset {base + pos}"))
        vectors[i] = np.frombuffer(buffer, dtype=_FLOAT, count=dim, offset=space + 1)
        pos = space + 1 + width
    return words, vectors


def read_word2vec(
    path: str | os.PathLike,
    *,
    binary: bool | None = False,
    limit: int | None = None,
    fvocab: str | os.PathLike | None = None,
    no_header: bool = False,
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Read a word2vec.c file; returns ``(words, vectors float32, counts int64)``.

    ``binary=None`` reads the format from the first row; ``True``/``False`` insist on it
    (the other format is then a ``ValueError`` naming the right value).

    Only the first ``limit`` words are read when given. Counts come from ``fvocab`` when
    given (0 for words it lacks), else they are 0. Any defect raises ``ValueError`` naming
    the line (text) or byte offset (binary); nothing partial is returned. Duplicate words
    keep their first vector, with a warning (as gensim does).
    """
    check_limit(limit)
    source = path
    try:
        words, vectors = _read_vectors(path, binary, limit, no_header)
        words, vectors = _drop_duplicates(words, vectors, path)
        counts = np.zeros(len(words), np.int64)
        if fvocab is not None:
            source = fvocab
            counts = _read_counts(fvocab, words)
    except (OSError, *DAMAGED_COMPRESSED) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise  # a missing file, a permission: not damage
        raise ValueError(
            f"{source}: the compressed file is truncated or corrupted ({type(exc).__name__}: "
            f"{exc})."
        ) from None
    return words, vectors, counts


def check_limit(limit) -> None:
    """``limit`` (how many words to read) must be None or an int >= 0."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, Integral)
                              or limit < 0):  # fmt: skip
        raise ValueError(f"limit must be None or an int >= 0 (the number of words to read), "
                         f"got {limit!r}.")  # fmt: skip


def _read_vectors(path, binary: bool | None, limit: int | None, no_header: bool):
    with open_file(path, "rb") as handle:
        if no_header:
            if binary:
                raise ValueError("no_header=True is only possible for text files.")
            n_words, dim, first_line, header_size = None, None, 1, 0
        else:
            header = handle.readline()
            n_words, dim = _header(header, path)
            first_line, header_size = 2, len(header)
        wanted = n_words if limit is None else limit if n_words is None else min(limit, n_words)
        if not no_header and wanted:
            binary = _checked_format(path, binary, dim)
        if binary:
            _check_binary_size(path, wanted, dim, header_size)
            words, vectors = _read_binary_rows(handle, path, wanted, dim, header_size)
            _check_finite(vectors, lambda row: f"{path}: row {row + 1} (word {words[row]!r})")
        else:
            words, rows, dim = _read_text_rows(handle, path, first_line, wanted, dim)
            if n_words is not None and len(words) < wanted:  # (no header: limit is a cap)
                raise ValueError(
                    f"{path}: file ends after {len(words)} of the {n_words} words its header "
                    "announces; the file is truncated or its header is wrong."
                )
            vectors = np.vstack(rows) if rows else np.empty((0, dim or 0), dtype=_FLOAT)
            _check_finite(vectors, lambda row: f"{path}: line {first_line + row}: word "
                                               f"{words[row]!r}")  # fmt: skip
    return words, vectors


def _check_finite(vectors: np.ndarray, where) -> None:
    """Refuse a non-finite value (``nan``, ``inf``, or beyond float32's range, like
    ``1e40``), naming the row with ``where(row)``; one vectorised pass in blocks."""
    row = first_non_finite_row(vectors)
    if row >= 0:
        bad = vectors[row][~np.isfinite(vectors[row])][0]
        raise ValueError(
            f"{where(row)} has a value that is not a finite float32 number ({bad}: NaN, "
            "infinite, or beyond float32's ±3.4e38)."
        )


def _looks_like_text(row: bytes, dim: int) -> bool:
    """Whether ``row`` (the bytes after the header) starts with a text row of ``dim``
    numbers: a binary row holds ``4 * dim`` raw bytes there, which almost never read as
    ``dim`` space-separated numbers followed by a line end."""
    end = row.find(b"\n")
    if end < 0:
        return False
    fields = row[:end].split()
    if len(fields) != dim + 1:
        return False
    try:
        [float(field) for field in fields[1:]]
    except ValueError:
        return False
    return True


def sniff_binary(path: str | os.PathLike) -> bool | None:
    """Whether the word2vec file at ``path`` is binary (``None`` when its header is not
    word2vec's or it holds no row): read from its first row, whatever its name."""
    try:
        with open_file(path, "rb") as handle:
            n_words, dim = _header(handle.readline(1 << 10), path)
            head = handle.read(min(8 * dim + (1 << 12), 1 << 22))
    except (ValueError, *DAMAGED_COMPRESSED):
        return None
    except OSError as exc:
        if exc.errno is None:  # a damaged compressed stream
            return None
        raise
    if n_words == 0 or not head:
        return None
    return not _looks_like_text(head, dim)


def _checked_format(path, binary: bool | None, dim: int) -> bool:
    """Whether to read the file as binary: as its first row says when ``binary`` is None;
    otherwise ``binary``, refusing a text file read as binary (its rows would load as tiny
    garbage numbers) and naming the fix for a binary file read as text."""
    is_binary = sniff_binary(path)
    if binary is None:
        return bool(is_binary)
    if is_binary is None or is_binary == binary:
        return binary
    if binary:
        raise ValueError(
            f"{path} is a word2vec text file (its first row is a word and {dim} numbers "
            "as text), not binary: pass binary=False (on the command line, no --binary)."
        )
    raise ValueError(
        f"{path} is a binary word2vec file (its first row is not a word and {dim} numbers "
        "as text): pass binary=True (on the command line, --binary)."
    )


def _check_binary_size(path, n_rows: int, dim: int, header_size: int) -> None:
    """The ``n_rows`` x ``dim`` float32 rows a header announces must fit in the file
    (each row is at least a 1-byte word, a space and ``4 * dim`` bytes) or, for a
    compressed file, in this machine's memory, before anything is allocated."""
    from .._kernels.subwords import physical_memory

    if os.path.splitext(os.fspath(path))[1] in OPENERS:
        needed = n_rows * dim * _FLOAT.itemsize
        available = max(physical_memory(), 1 << 30)
        if needed > available:
            raise ValueError(
                f"{path}: the header announces {n_rows:,} x {dim:,} float32 values "
                f"({needed:,} bytes), more than this machine's memory; the header is wrong "
                "or the file is damaged (or pass limit= to read the first words)."
            )
        return
    needed = n_rows * (2 + dim * _FLOAT.itemsize)
    available = os.path.getsize(path) - header_size
    if needed > available:
        raise ValueError(
            f"{path}: the header announces {n_rows:,} rows of {dim:,} float32 values, at least "
            f"{needed:,} bytes, but only {available:,} bytes follow it; the file is truncated "
            "or its header is wrong."
        )


def _drop_duplicates(words: list[str], vectors: np.ndarray, path):
    seen: dict[str, int] = {}
    keep = []
    for i, word in enumerate(words):
        if word in seen:
            warnings.warn(
                f"{path}: duplicate word {word!r} (entries {seen[word] + 1} and {i + 1}); "
                "keeping the first.",
                stacklevel=3,
            )
        else:
            seen[word] = i
            keep.append(i)
    if len(keep) == len(words):
        return words, vectors
    return [words[i] for i in keep], vectors[keep]


def _read_counts(fvocab, words: list[str]) -> np.ndarray:
    counts: dict[str, int] = {}
    with open_file(fvocab, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            fields = _decode(line, f"{fvocab}: line {number}").split()
            if len(fields) != 2 or not (fields[1].isascii() and fields[1].isdigit()):
                raise ValueError(
                    f"{fvocab}: line {number} must be '<word> <count>' with a count >= 0, "
                    f"got {line[:80]!r}."
                )
            counts.setdefault(fields[0], int(fields[1]))
    return np.array([counts.get(word, 0) for word in words], dtype=np.int64)
