"""Where the corpus-sized arrays of a fit live: in memory, or in memory-mapped files.

Everything that grows with the corpus (provisional and final word ids, document lengths
and offsets) is allocated through a :class:`CorpusStorage`. In memory, these are ordinary
arrays. On disk, they are files in a private temporary folder, written in chunks and
memory-mapped: the operating system keeps them in its page cache while there is room and
evicts them when there is not, so the anonymous memory of a fit stays bounded whatever
the corpus size. The folder follows joblib's convention (``temp_folder``, else
``JOBLIB_TEMP_FOLDER``, else the system's temporary folder). On POSIX systems each file is
unlinked as soon as it is mapped (the mapping stays valid; the space is freed when the
last array using it is gone), and the folder is removed when the storage closes, on
success, error or interrupt.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

import numpy as np

#: Corpus-sized work is done in blocks of this many elements (8 MiB of int64).
BLOCK = 1 << 20


class CorpusStorage:
    """Allocates one fit's corpus-sized arrays in memory (``folder=None``) or on disk."""

    def __init__(self, on_disk: bool = False, temp_folder: str | os.PathLike | None = None):
        self.on_disk = on_disk
        self.folder: str | None = None
        if on_disk:
            parent = temp_folder or os.environ.get("JOBLIB_TEMP_FOLDER") or None
            self.folder = tempfile.mkdtemp(prefix="skw2v-corpus-", dir=parent)
        self._count = 0

    def __enter__(self) -> CorpusStorage:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _path(self, name: str) -> str:
        self._count += 1
        return os.path.join(self.folder, f"{self._count:03d}-{name}.bin")

    def zeros(self, name: str, length: int, dtype) -> np.ndarray:
        """A zero-filled 1-D array."""
        if not self.on_disk:
            return np.zeros(length, dtype=dtype)
        path = self._path(name)
        with open(path, "wb") as handle:
            handle.truncate(length * np.dtype(dtype).itemsize)  # a sparse file of zeros
        return _mapped(path, dtype, length)

    def empty(self, name: str, length: int, dtype) -> np.ndarray:
        """A 1-D array whose content the caller fills."""
        if not self.on_disk:
            return np.empty(length, dtype=dtype)
        return self.zeros(name, length, dtype)

    def appender(self, name: str, dtype) -> Appender:
        """A 1-D array built by appending blocks."""
        return Appender(self, name, dtype)


class Appender:
    """Blocks appended one by one, then :meth:`finish`-ed into one 1-D array (in memory:
    the list of blocks is kept, so that :meth:`blocks` can hand them on without a copy)."""

    def __init__(self, storage: CorpusStorage, name: str, dtype) -> None:
        self.dtype = np.dtype(dtype)
        self.length = 0
        self._blocks: list[np.ndarray] = []
        self._path = storage._path(name) if storage.on_disk else None
        self._handle = open(self._path, "wb") if self._path else None

    def append(self, block: np.ndarray) -> None:
        block = np.ascontiguousarray(block, dtype=self.dtype)
        self.length += block.shape[0]
        if self._handle is None:
            self._blocks.append(block)
        else:
            self._handle.write(block.data)

    def finish_blocks(self) -> list[np.ndarray]:
        """The content as a list of blocks (views of one mapped file on disk)."""
        if self._handle is None:
            return self._blocks
        whole = self.finish()
        return [whole[i : i + BLOCK] for i in range(0, whole.shape[0], BLOCK)]

    def finish(self) -> np.ndarray:
        """The content as one array."""
        if self._handle is None:
            if len(self._blocks) == 1:
                return self._blocks[0]
            return np.concatenate(self._blocks) if self._blocks else np.zeros(0, self.dtype)
        self._handle.close()
        return _mapped(self._path, self.dtype, self.length)


def _mapped(path: str, dtype, length: int) -> np.ndarray:
    """A writable, C-contiguous ndarray over the file at ``path`` (unlinked on POSIX)."""
    if length == 0:
        array = np.zeros(0, dtype=dtype)
    else:
        array = np.asarray(np.memmap(path, dtype=dtype, mode="r+", shape=(length,)))
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.remove(path)
    return array


def cumsum_into(values: np.ndarray, out: np.ndarray, start: int = 0) -> None:
    """``out[0] = start; out[1:] = start + cumsum(values)``, block by block (no
    corpus-sized temporary)."""
    out[0] = start
    total = start
    for first in range(0, values.shape[0], BLOCK):
        block = np.cumsum(values[first : first + BLOCK], dtype=np.int64)
        block += total
        out[first + 1 : first + 1 + block.shape[0]] = block
        if block.shape[0]:
            total = int(block[-1])


def blocks(array: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """``(offset, view)`` over ``array`` in blocks."""
    for first in range(0, array.shape[0], BLOCK):
        yield first, array[first : first + BLOCK]


def indptr_after_drops(indptr: np.ndarray, dropped_per_doc: np.ndarray, out: np.ndarray) -> None:
    """``out`` = document offsets once ``dropped_per_doc[d]`` tokens leave document ``d``,
    block by block (no corpus-sized temporary)."""
    out[0] = indptr[0]
    dropped_so_far = 0
    for first, block in blocks(dropped_per_doc):
        dropped = np.cumsum(block) + dropped_so_far
        stop = first + 1 + block.shape[0]
        out[first + 1 : stop] = indptr[first + 1 : stop] - dropped
        if block.shape[0]:
            dropped_so_far = int(dropped[-1])
