"""Character n-grams as fastText defines them: hashing, bucket rows, composed vectors.

A word ``w`` is wrapped as ``<w>``; its n-grams are the substrings of ``min_n`` to
``max_n`` characters (UTF-8 characters: continuation bytes never start or split one),
except the lone boundary markers. Each n-gram is hashed with fastText's FNV-1a variant
(every byte sign-extended to 32 bits first, as Facebook's ``Dictionary::hash`` does) into
one of ``buckets`` rows, stored after the vocabulary's rows in one input matrix (the
layout of Facebook's ``.bin`` files). A vocabulary word is represented by the mean of its
own row and its n-gram rows; an unseen word by the mean of its n-gram rows.

Everything per word runs in numba over one byte blob of the words' UTF-8 bytes, each
word given by its start and end in it (no Python per n-gram).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from numba import njit

#: fastText's word boundary markers and its end-of-sentence word (which has no n-grams).
BOW = ord("<")
EOW = ord(">")
EOS = "</s>"

_FNV_OFFSET = np.uint64(2166136261)
_FNV_PRIME = np.uint64(16777619)
_LOW32 = np.uint64(0xFFFFFFFF)

#: Row indices are int32 in the kernels and in Facebook's files.
MAX_ROWS = np.iinfo(np.int32).max


@njit(inline="always")
def _byte(blob, start, length, p):
    """Byte ``p`` of ``<word>``, the word being ``blob[start:start + length]``."""
    if p == 0:
        return BOW
    if p == length + 1:
        return EOW
    return np.int64(blob[start + p - 1])


@njit(inline="always")
def _mix(h, b):
    """One FNV-1a step over a byte sign-extended to 32 bits (fastText's ``int8_t`` cast),
    in 64-bit arithmetic kept to the low 32 bits."""
    extended = np.uint64(b | 0xFFFFFF00) if b >= 128 else np.uint64(b)
    return ((h ^ extended) * _FNV_PRIME) & _LOW32


@njit(cache=True)
def fasttext_hash(data):
    """fastText's 32-bit hash of a byte string (``uint8`` array)."""
    h = _FNV_OFFSET
    for i in range(data.shape[0]):
        h = _mix(h, np.int64(data[i]))
    return h


@njit(inline="always")
def _ngrams(blob, start, length, min_n, max_n, buckets, out):
    """Write the bucket of each n-gram of ``<word>`` to ``out`` (when it is not empty);
    returns how many there are. fastText's ``computeSubwords`` loop."""
    total = length + 2
    count = 0
    for i in range(total):
        if (_byte(blob, start, length, i) & 0xC0) == 0x80:
            continue
        h = _FNV_OFFSET
        j = i
        n = 1
        while j < total and n <= max_n:
            h = _mix(h, _byte(blob, start, length, j))
            j += 1
            while j < total and (_byte(blob, start, length, j) & 0xC0) == 0x80:
                h = _mix(h, _byte(blob, start, length, j))
                j += 1
            if n >= min_n and not (n == 1 and (i == 0 or j == total)):
                if out.shape[0] > 0:
                    out[count] = np.int64(h) % buckets
                count += 1
            n += 1
    return count


@njit(cache=True)
def count_ngrams(blob, starts, ends, min_n, max_n, skip):
    """Number of n-grams of each word (0 for ``skip``, the end-of-sentence word)."""
    n_words = starts.shape[0]
    counts = np.zeros(n_words, dtype=np.int64)
    none = np.empty(0, dtype=np.int64)
    for w in range(n_words):
        if w != skip:
            counts[w] = _ngrams(blob, starts[w], ends[w] - starts[w], min_n, max_n, 1, none)
    return counts


@njit(cache=True)
def fill_rows(blob, starts, ends, min_n, max_n, buckets, first_bucket_row, own_rows, ptr, rows):
    """Each word's input rows: its own row (``own_rows[w] >= 0``), then ``first_bucket_row``
    + the bucket of each n-gram, into ``rows[ptr[w]:ptr[w + 1]]``."""
    scratch = np.empty(0, dtype=np.int64)
    for w in range(starts.shape[0]):
        pos = ptr[w]
        if own_rows[w] >= 0:
            rows[pos] = own_rows[w]
            pos += 1
        n = ptr[w + 1] - pos
        if n > 0:
            if scratch.shape[0] < n:
                scratch = np.empty(n, dtype=np.int64)
            _ngrams(blob, starts[w], ends[w] - starts[w], min_n, max_n, buckets, scratch)
            for k in range(n):
                rows[pos + k] = np.int32(first_bucket_row + scratch[k])


@njit(cache=True)
def compose(blob, starts, ends, min_n, max_n, own_rows, skip, matrix, first_bucket_row, out):
    """``out[w]`` = mean of word ``w``'s own row (if ``own_rows[w] >= 0``) and its n-gram
    rows of ``matrix``; zeros when it has neither. Returns the number of rows per word.

    One pass per word: the buckets go to a scratch buffer sized for the longest word
    (a word of ``b`` bytes has at most ``(b + 2) * (min(max_n, b + 2) - min_n + 1)``
    n-grams)."""
    n_words = starts.shape[0]
    dim = matrix.shape[1]
    buckets = matrix.shape[0] - first_bucket_row
    used = np.zeros(n_words, dtype=np.int64)
    longest = np.max(ends - starts) if n_words else 0
    # an n-gram is at most the whole "<word>": a huge max_n (a damaged .bin file) must
    # not size the scratch
    ids = np.empty((longest + 2) * max(min(max_n, longest + 2) - min_n + 1, 0), dtype=np.int64)
    acc = np.empty(dim, dtype=np.float64)
    for w in range(n_words):
        n = 0
        if w != skip:
            n = _ngrams(blob, starts[w], ends[w] - starts[w], min_n, max_n, buckets, ids)
        acc[:] = 0.0
        rows = n
        if own_rows[w] >= 0:
            for k in range(dim):
                acc[k] += matrix[own_rows[w], k]
            rows += 1
        for g in range(n):
            row = first_bucket_row + ids[g]
            for k in range(dim):
                acc[k] += matrix[row, k]
        used[w] = rows
        scale = 1.0 / rows if rows > 0 else 0.0
        for k in range(dim):
            out[w, k] = np.float32(acc[k] * scale)
    return used


def word_blob(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The UTF-8 bytes of ``words`` (one blob) and each word's ``[start, end)`` in it."""
    encoded = [word.encode("utf-8", "surrogatepass") for word in words]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    if blob.shape[0] == 0:  # numba needs a typed (non-empty-buffer) array too
        blob = np.zeros(1, dtype=np.uint8)
    return blob, starts, ends


def eos_index(words: Sequence[str]) -> int:
    """Index of fastText's end-of-sentence word ``</s>`` among vocabulary words (which
    fastText gives no n-grams), else -1."""
    words = list(words)
    return words.index(EOS) if EOS in words else -1


def subword_rows(
    words: Sequence[str], min_n: int, max_n: int, buckets: int
) -> tuple[np.ndarray, np.ndarray]:
    """CSR (``ptr`` int64, ``rows`` int32) of each vocabulary word's input rows: its own
    row ``w``, then ``len(words) + bucket`` for each n-gram (training's input lists)."""
    blob, starts, ends = word_blob(words)
    skip = eos_index(words)
    counts = count_ngrams(blob, starts, ends, min_n, max_n, skip) + 1
    ptr = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    available = physical_memory()
    if available and int(ptr[-1]) * 4 > available:
        raise ValueError(
            f"subwords=({min_n}, {max_n}) give the vocabulary {int(ptr[-1]):,} n-grams, more "
            f"than fit in this machine's {available / 2**30:.1f} GiB of memory: use a smaller "
            "max_n (fastText's default is 6)."
        )
    rows = np.empty(int(ptr[-1]), dtype=np.int32)
    own = np.arange(len(words), dtype=np.int64)
    fill_rows(blob, starts, ends, min_n, max_n, buckets, len(words), own, ptr, rows)
    return ptr, rows


def composed_vectors(
    words: Sequence[str],
    matrix: np.ndarray,
    n_vocab: int,
    min_n: int,
    max_n: int,
    own_rows: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Composed vectors of ``words`` from ``matrix`` (``n_vocab`` word rows, then the
    buckets) and the number of rows each used (0: no vector). ``own_rows[w]`` is word
    ``w``'s own row, or -1 for a word outside the vocabulary (the default for all)."""
    blob, starts, ends = word_blob(words)
    if own_rows is None:
        own_rows = np.full(len(words), -1, dtype=np.int64)
        skip = -1
    else:
        skip = eos_index(words)
    out = np.empty((len(words), matrix.shape[1]), dtype=np.float32)
    if len(words):
        used = compose(blob, starts, ends, min_n, max_n, own_rows, skip, matrix, n_vocab, out)
    else:
        used = np.zeros(0, dtype=np.int64)
    return out, used


def check_bucket_memory(buckets: int, vector_size: int, n_words: int = 0) -> None:
    """Raise ``ValueError`` before allocating n-gram rows that cannot fit.

    The input matrix holds ``n_words + buckets`` rows of ``vector_size`` float32; it must
    be addressable by int32 rows and fit in this machine's physical memory.
    """
    if n_words + buckets > MAX_ROWS:
        raise ValueError(
            f"buckets={buckets:,} with {n_words:,} words exceeds the {MAX_ROWS:,} rows an "
            "input matrix can have (fastText stores row numbers as int32); use fewer buckets."
        )
    needed = (n_words + buckets) * vector_size * 4
    available = physical_memory()
    if available and needed > available:
        raise ValueError(
            f"subwords need buckets x vector_size x 4 = {buckets:,} x {vector_size} x 4 "
            f"bytes ({needed / 2**30:.1f} GiB with the {n_words:,} word rows) for the input "
            f"matrix, more than this machine's {available / 2**30:.1f} GiB of memory; use "
            "fewer buckets (fastText's default is 2,000,000) or a smaller vector_size."
        )


def physical_memory() -> int:
    """Bytes of physical memory (0 when the platform does not say)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 0
