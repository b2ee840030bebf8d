"""Corpora read from text files: one document per line.

:class:`LineCorpus` names the files (a path, a list of paths, a directory or a glob;
plain, ``.gz``, ``.bz2`` or ``.xz``) and can be iterated any number of times. It hands
the encoder blocks of lines rather than single documents (``document_blocks``), so
splitting, counting and encoding run in C loops with Python code once per block of
about 64 KiB of text, not once per document or token.
"""

from __future__ import annotations

import codecs
import glob
import io
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

from ._io.files import DAMAGED_COMPRESSED, open_file
from ._io.storage import CorpusStorage, StorageFullError
from ._kernels import tokenize
from ._training.corpus import ProvisionalCorpus, indptr_of

#: Lines are read in blocks of about this many characters. Small blocks keep few token
#: lists alive at once: with 16 MiB blocks, Python's cyclic garbage collector, walking
#: millions of live lists again and again, tripled the time to split the text.
BLOCK_CHARS = 1 << 16

#: Raw bytes are read in pieces of this size (then cut at the last line end).
READ_BYTES = 1 << 20

_READ_ERRORS = (*DAMAGED_COMPRESSED, OSError, UnicodeDecodeError)


def _open_text(path: Path, encoding: str, errors: str) -> io.TextIOBase:
    return open_file(path, "rt", encoding=encoding, errors=errors)


def _whole_lines(handle) -> Iterator[tuple[bytearray, bool]]:
    """``(data, final)`` pieces of a binary file, the last one with ``final=True``.

    A piece ends at a line end (a newline, or a carriage return that is not the last
    byte read) or, in a line longer than a read (word2vec.c's text8 is one 100 MB
    line), after a space or a tab: no token spans white space, and the kernel keeps
    the document open across pieces. Only the bytes of each new read are searched for
    a cut, and a run without one (a long token, unsegmented text) grows one buffer
    (``bytearray``: amortised, resized in place), so reading is linear in the length
    of the line. A piece is not changed once yielded.
    """
    pending = bytearray()  # bytes since the last cut, none of them a cut
    while True:
        chunk = handle.read(READ_BYTES)
        if not chunk:
            yield pending, True
            return
        view = memoryview(chunk)
        start = 0  # where this read's unsent bytes start
        if pending.endswith(b"\r"):
            # the last read ended with "\r", a line end (with this read's "\n" if any)
            start = 1 if chunk.startswith(b"\n") else 0
            pending += view[:start]
            yield pending, False
            pending = bytearray()
        cut = _cut(chunk, start)
        if cut:
            pending += view[start:cut]
            yield pending, False
            pending = bytearray(view[cut:])
        else:
            pending += view[start:]


def _cut(chunk: bytes, start: int = 0) -> int:
    """Where the last whole line (else the last white space) of ``chunk[start:]`` ends,
    as an offset in ``chunk``; 0 if nowhere. A carriage return that ends the read may be
    the first half of ``\r\n``."""
    return (chunk.rfind(b"\n", start) + 1 or chunk.rfind(b"\r", start, len(chunk) - 1) + 1
            or max(chunk.rfind(b" ", start), chunk.rfind(b"\t", start)) + 1)  # fmt: skip


class LineCorpus:
    """Documents from text files, one per line, re-readable any number of times.

    Parameters
    ----------
    source : str, path-like, or list of them
        A file, a directory (every file in it, in name order, not recursing), a glob
        pattern (``"data/*.txt.gz"``), or a list of any of these. Files ending in
        ``.gz``, ``.bz2`` or ``.xz`` are decompressed on the fly.
    analyzer : callable, default=None
        Turns one line into a list of tokens. ``None`` splits on white space
        (``str.split``, as word2vec.c does), which is by far the fastest.
    encoding : str, default="utf-8"
        Text encoding of the files.
    errors : str, default="strict"
        What to do with undecodable bytes (``"strict"`` raises a ``UnicodeDecodeError``
        naming the file; ``"replace"`` or ``"ignore"`` as in :func:`open`).
    max_documents : int, default=None
        Read at most this many lines in all.

    Notes
    -----
    Empty lines are empty documents: they count for ``transform`` (a row each) and
    contribute nothing to training.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skw2v import LineCorpus, Word2VecTransformer
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "part1.txt").write_text("the cat sat\\nthe dog sat\\n" * 50)
    >>> corpus = LineCorpus(folder)
    >>> len(list(corpus))
    100
    >>> model = Word2VecTransformer(vector_size=8, min_count=1, n_jobs=1, random_state=0)
    >>> model.fit(corpus).transform(corpus).shape
    (100, 8)
    """

    def __init__(
        self,
        source: str | os.PathLike | Iterable[str | os.PathLike],
        *,
        analyzer: Callable[[str], list[str]] | None = None,
        encoding: str = "utf-8",
        errors: str = "strict",
        max_documents: int | None = None,
    ) -> None:
        self.source = source
        self.analyzer = analyzer
        self.encoding = encoding
        self.errors = errors
        self.max_documents = max_documents
        self.paths = _resolve(source)

    def __repr__(self) -> str:
        return f"LineCorpus({len(self.paths)} file(s), first {str(self.paths[0])!r})"

    def __iter__(self) -> Iterator[list[str]]:
        for block in self.document_blocks():
            yield from block

    def document_blocks(self) -> Iterator[list[list[str]]]:
        """Lists of token lists, one list per block of about 64 KiB of text."""
        split = str.split if self.analyzer is None else self.analyzer
        remaining = self.max_documents
        for path in self.paths:
            with _open_text(path, self.encoding, self.errors) as handle:
                while remaining is None or remaining > 0:
                    try:
                        lines = handle.readlines(BLOCK_CHARS)
                    except _READ_ERRORS as exc:
                        raise ValueError(f"{path}: cannot be read ({exc}).") from None
                    if not lines:
                        break
                    if remaining is not None:
                        lines = lines[:remaining]
                        remaining -= len(lines)
                    block = list(map(split, lines))
                    if self.analyzer is not None:
                        _check_analyzed(block, path)
                    yield block

    def encode_provisional(self, storage: CorpusStorage) -> tuple | None:
        """Types in order of first appearance and the corpus encoded with them, split and
        hashed in a kernel over the raw bytes (:mod:`skw2v._kernels.tokenize`): the same result as
        encoding ``line.split()`` of every line, without a Python object per token.
        ``None`` when that path does not apply (an analyzer, another encoding or error
        policy than strict UTF-8, ``max_documents``)."""
        strict_utf8 = codecs.lookup(self.encoding).name == "utf-8" and self.errors == "strict"
        if self.analyzer is not None or self.max_documents is not None or not strict_utf8:
            return None
        table = tokenize.new_table()
        state = np.zeros(7, dtype=np.int64)
        ids = np.empty(1 << 20, dtype=np.int32)
        doc_lengths = np.empty(1 << 16, dtype=np.int64)
        provisional = storage.appender("provisional-ids", np.int32)
        lengths = storage.appender("lengths", np.int64)
        types: list[str] = []
        for path in self.paths:
            try:
                with open_file(path, "rb") as handle:
                    for data, final in _whole_lines(handle):
                        table = _encode_piece(data, final, table, ids, doc_lengths, state,
                                              provisional, lengths)  # fmt: skip
                types += tokenize.decode_types(table, len(types), int(state[tokenize.N_TYPES]))
            except StorageFullError:
                raise  # writing the encoded corpus failed, not reading the file
            except _READ_ERRORS as exc:
                raise ValueError(f"{path}: cannot be read ({exc}).") from None
        provisional.append(ids[: state[tokenize.N_IDS]])
        lengths.append(doc_lengths[: state[tokenize.N_DOCS]])
        indptr = indptr_of(lengths.finish(), storage)
        return types, ProvisionalCorpus(chunks=provisional.finish_blocks(), indptr=indptr)


def _encode_piece(data, final, table, ids, doc_lengths, state, provisional, lengths):
    """Run the kernel over one piece, emptying full buffers and growing the table."""
    array = np.frombuffer(data, dtype=np.uint8)
    state[tokenize.POS] = 0
    n_bytes = int(state[tokenize.N_BYTES])
    if array.shape[0] > table.type_bytes.shape[0] - n_bytes:
        # a long line without separator: room for it as one new word now, or the kernel
        # would hash it to its end, stop for room, and hash it again
        table = tokenize.grown(table, int(state[tokenize.N_TYPES]), n_bytes, array.shape[0])
    while True:
        status = tokenize.encode_bytes(array, final, table, ids, doc_lengths, state)
        if status == tokenize.IDS_FULL:
            provisional.append(ids.copy())
            state[tokenize.N_IDS] = 0
        elif status == tokenize.LENGTHS_FULL:
            lengths.append(doc_lengths.copy())
            state[tokenize.N_DOCS] = 0
        elif status == tokenize.GROW:
            remaining = array.shape[0] - int(state[tokenize.POS])
            table = tokenize.grown(table, int(state[tokenize.N_TYPES]),
                                    int(state[tokenize.N_BYTES]), remaining)  # fmt: skip
        else:
            return table


def _check_analyzed(block: list, path: Path) -> None:
    if not all(isinstance(tokens, (list, tuple)) for tokens in block):
        bad = next(tokens for tokens in block if not isinstance(tokens, (list, tuple)))
        raise TypeError(
            f"{path}: the analyzer returned a {type(bad).__name__}, not a list of tokens."
        )


def _resolve(source) -> list[Path]:
    """The files ``source`` names, in order; a clear error when it names none."""
    if isinstance(source, (str, os.PathLike)):
        sources = [source]
    else:
        try:
            sources = list(source)
        except TypeError:
            raise TypeError(
                f"source must be a path, a glob or a list of them; got a {type(source).__name__}."
            ) from None
    paths: list[Path] = []
    for item in sources:
        if not isinstance(item, (str, os.PathLike)):
            raise TypeError(f"source holds a {type(item).__name__}; pass paths or globs.")
        path = Path(item)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            paths.append(path)
        elif any(char in str(item) for char in "*?["):
            paths += sorted(Path(p) for p in glob.glob(str(item)) if Path(p).is_file())
        else:
            raise FileNotFoundError(f"No such file, directory or glob match: {str(item)!r}.")
    if not paths:
        raise FileNotFoundError(f"{source!r} names no file.")
    return paths
