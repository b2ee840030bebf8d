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
success, error, interrupt (``SIGINT``) or ``SIGTERM``.

A file is given all its space before it is mapped (``posix_fallocate``, else written with
zeros): a write through a map into a sparse file that the disk cannot grow kills the
process with ``SIGBUS``. A full disk is a :class:`StorageFullError` (an ``OSError``) that
names the folder and the space needed, raised before the map exists.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator

import numpy as np

#: Corpus-sized work is done in blocks of this many elements (8 MiB of int64).
BLOCK = 1 << 20


#: ``errno`` values of a write that found no room (disk full, quota, file size limit).
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageFullError(OSError):
    """The temporary folder of ``corpus_storage="disk"`` has no room for the corpus."""


def _no_room(folder: str, what: str, n_bytes: int, exc: OSError) -> StorageFullError:
    try:
        free = f"{shutil.disk_usage(folder).free:,} bytes are free"
    except OSError:
        free = "the free space is unknown"
    return StorageFullError(
        exc.errno,
        f"No room for the encoded corpus in {folder}: {what} needs {n_bytes:,} more bytes "
        f"and {free} ({os.strerror(exc.errno)}). Pass temp_folder= a folder on a disk with "
        "more space (or set JOBLIB_TEMP_FOLDER), or corpus_storage='memory'; the folder "
        "has been removed.",
    )


class CorpusStorage:
    """Allocates one fit's corpus-sized arrays in memory (``folder=None``) or on disk."""

    def __init__(self, on_disk: bool = False, temp_folder: str | os.PathLike | None = None):
        self.on_disk = on_disk
        self.folder: str | None = None
        if on_disk:
            parent = temp_folder or os.environ.get("JOBLIB_TEMP_FOLDER") or None
            self.folder = tempfile.mkdtemp(prefix="skw2v-corpus-", dir=parent)
            _SIGTERM_CLEANUP.add(self.folder)
        self._count = 0

    def __enter__(self) -> CorpusStorage:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            _SIGTERM_CLEANUP.discard(self.folder)
            self.folder = None

    def _path(self, name: str) -> str:
        self._count += 1
        return os.path.join(self.folder, f"{self._count:03d}-{name}.bin")

    def zeros(self, name: str, length: int, dtype) -> np.ndarray:
        """A zero-filled 1-D array."""
        if not self.on_disk:
            return np.zeros(length, dtype=dtype)
        path = self._path(name)
        n_bytes = length * np.dtype(dtype).itemsize
        try:
            with open(path, "wb") as handle:
                _reserve(handle, n_bytes)
        except OSError as exc:
            if exc.errno in _NO_ROOM:
                raise _no_room(self.folder, f"the {name} array", n_bytes, exc) from None
            raise
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
        self.name = name
        self._blocks: list[np.ndarray] = []
        self._folder = storage.folder
        self._path = storage._path(name) if storage.on_disk else None
        self._handle = open(self._path, "wb", buffering=0) if self._path else None

    def append(self, block: np.ndarray) -> None:
        block = np.ascontiguousarray(block, dtype=self.dtype)
        self.length += block.shape[0]
        if self._handle is None:
            self._blocks.append(block)
            return
        try:
            view = memoryview(block).cast("B")
            while view.nbytes:  # an unbuffered write may write less than asked
                view = view[self._handle.write(view) :]
        except OSError as exc:
            if exc.errno in _NO_ROOM:
                raise _no_room(self._folder, f"the {self.name} array", block.nbytes, exc) from None
            raise

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


def _reserve(handle, n_bytes: int) -> None:
    """Give the open, empty file ``n_bytes`` of zeros, allocated on the disk now."""
    if n_bytes == 0:
        return
    fallocate = getattr(os, "posix_fallocate", None)
    if fallocate is not None:
        try:
            fallocate(handle.fileno(), 0, n_bytes)
            return
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                raise
    zeros = bytes(min(n_bytes, BLOCK * 8))  # no fallocate here: write the zeros
    for first in range(0, n_bytes, len(zeros)):
        handle.write(zeros[: n_bytes - first])
    handle.flush()


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


class _SigtermCleanup:
    """Removes the folders of disk storages still open when ``SIGTERM`` arrives.

    While a folder is open, a handler is installed (from the main thread, and only over
    the default action): it removes the folders, then ends the process with the default
    action, as ``SIGTERM`` would have. Python runs it between two kernel calls. Nothing
    can run on ``SIGKILL``: the folder (``skw2v-corpus-*``) is left, and can be removed by
    hand once no fit runs.
    """

    def __init__(self) -> None:
        self.folders: set[str] = set()
        self.lock = threading.Lock()
        self.installed = False

    def add(self, folder: str) -> None:
        with self.lock:
            self.folders.add(folder)
            if self.installed or threading.current_thread() is not threading.main_thread():
                return
            with contextlib.suppress(ValueError, OSError, AttributeError):
                if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
                    signal.signal(signal.SIGTERM, self.handle)
                    self.installed = True

    def discard(self, folder: str) -> None:
        with self.lock:
            self.folders.discard(folder)
            if self.folders or not self.installed:
                return
            if threading.current_thread() is threading.main_thread():
                with contextlib.suppress(ValueError, OSError):
                    if signal.getsignal(signal.SIGTERM) == self.handle:
                        signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    self.installed = False

    def handle(self, signum, frame) -> None:
        for folder in list(self.folders):
            shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)


_SIGTERM_CLEANUP = _SigtermCleanup()
