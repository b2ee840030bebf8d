"""Opening and writing files: compressed by their suffix, written atomically; and the
check that the values read from a file are finite.

One table of compressions for every file skw2v reads (corpora, word vectors, vocabulary
counts) and writes (word vectors): ``.gz``, ``.bz2`` and ``.xz``, anything else plain.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import os
import uuid
import zlib
from collections.abc import Iterator

import numpy as np

#: suffix -> opener of a path (``opener(path, mode)``, like :func:`open`).
OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
#: suffix -> compressing writer over an open binary file.
_WRITERS = {
    ".gz": lambda raw, name: gzip.GzipFile(filename=name, mode="wb", fileobj=raw),
    ".bz2": lambda raw, name: bz2.BZ2File(raw, "wb"),
    ".xz": lambda raw, name: lzma.LZMAFile(raw, "wb"),
}
#: What reading a truncated or corrupted compressed file raises.
DAMAGED_COMPRESSED = (EOFError, zlib.error, lzma.LZMAError, gzip.BadGzipFile)


def _suffix(path: str | os.PathLike) -> str:
    return os.path.splitext(os.fspath(path))[1]


def open_file(path: str | os.PathLike, mode: str = "rb", **kwargs):
    """:func:`open`, decompressing by the suffix of ``path``."""
    return OPENERS.get(_suffix(path), open)(path, mode, **kwargs)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike) -> Iterator:
    """A binary file handle whose content replaces ``path`` only once it is complete.

    Writes go to a new temporary file in the same folder (compressed by the suffix of
    ``path``), which ``os.replace`` moves over ``path`` after a successful close; on any
    error (an unencodable word, a full disk, an interrupt) the temporary file is removed
    and ``path`` is left as it was.
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(folder, f".{name}.{uuid.uuid4().hex[:12]}.tmp")
    writer = _WRITERS.get(_suffix(path))
    try:
        with open(temporary, "xb") as raw:
            if writer is None:
                yield raw
            else:
                with writer(raw, name) as out:
                    yield out
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def first_non_finite_row(matrix: np.ndarray) -> int:
    """The first row of the 2-D ``matrix`` holding NaN or an infinity, else -1; one
    vectorised pass in blocks (no matrix-sized temporary). Every matrix read from a file
    or given to ``WordVectors`` goes through it."""
    for first in range(0, matrix.shape[0], 1 << 16):
        finite = np.isfinite(matrix[first : first + (1 << 16)])
        if not finite.all():
            return first + int(np.flatnonzero(~finite.all(axis=1))[0])
    return -1
