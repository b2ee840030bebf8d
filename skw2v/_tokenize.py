"""Split and encode UTF-8 text in a numba kernel, without a Python object per token.

:func:`encode_bytes` reads raw bytes: documents end at ``\\n``, ``\\r`` or ``\\r\\n``
(Python's universal newlines) and tokens are separated by exactly the characters for
which ``str.isspace()`` is true (ASCII and Unicode spaces, as their UTF-8 byte
sequences), so the tokens are those of ``line.split()``. Each distinct token gets an id
in order of first appearance from an open-addressing hash table over its bytes (FNV-1a,
with a byte comparison on every hit), and its bytes are kept once, to be decoded into a
``str`` once per distinct word. The result is the same as encoding ``line.split()`` with
a dict, at C speed.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)

#: Statuses of :func:`encode_bytes`: every byte consumed; or stopped at ``state[POS]``
#: because an output buffer is full, or because a table needs to grow.
DONE = 0
IDS_FULL = 1
LENGTHS_FULL = 2
GROW = 3

#: Fields of the ``state`` array.
POS, N_IDS, N_DOCS, N_TYPES, N_BYTES, DOC_LENGTH, LINE_OPEN = range(7)


class TypeTable(NamedTuple):
    """The distinct tokens seen so far: hash slots (-1 = empty, else a type id), and per
    type its hash and where its bytes are in ``type_bytes``."""

    slots: np.ndarray  # int32, a power of 2 long
    hashes: np.ndarray  # uint64 per type
    starts: np.ndarray  # int64 per type
    lengths: np.ndarray  # int64 per type
    type_bytes: np.ndarray  # uint8


def new_table(slots: int = 1 << 16) -> TypeTable:
    return TypeTable(np.full(slots, -1, np.int32), np.zeros(slots // 2, np.uint64),
                     np.zeros(slots // 2, np.int64), np.zeros(slots // 2, np.int64),
                     np.zeros(1 << 20, np.uint8))  # fmt: skip


def grown(table: TypeTable, n_types: int, n_bytes: int, need_bytes: int) -> TypeTable:
    """A table with twice the slots (rehashed) and room for ``need_bytes`` more bytes."""
    slots = table.slots
    if 2 * (n_types + 1) >= slots.shape[0]:
        slots = np.full(2 * slots.shape[0], -1, np.int32)
        _rehash(slots, table.hashes, n_types)
    per_type = [table.hashes, table.starts, table.lengths]
    if n_types + 1 >= per_type[0].shape[0]:
        per_type = [np.concatenate([a, np.zeros_like(a)]) for a in per_type]
    type_bytes = table.type_bytes
    if n_bytes + need_bytes > type_bytes.shape[0]:
        size = max(2 * type_bytes.shape[0], n_bytes + need_bytes)
        type_bytes = np.concatenate([type_bytes, np.zeros(size - type_bytes.shape[0], np.uint8)])
    return TypeTable(slots, *per_type, type_bytes)


@njit(cache=True)
def _rehash(slots, hashes, n_types):
    mask = slots.shape[0] - 1
    for t in range(n_types):
        slot = np.int64(hashes[t] & np.uint64(mask))
        while slots[slot] >= 0:
            slot = (slot + 1) & mask
        slots[slot] = t


@njit(inline="always")
def _space(data, i, n):
    """Length in bytes of the white-space character at ``data[i]`` (0 if it is none)."""
    c = data[i]
    if c < 0x80:
        return 1 if c == 0x20 or 0x09 <= c <= 0x0D or 0x1C <= c <= 0x1F else 0
    if c == 0xC2:
        return 2 if i + 1 < n and (data[i + 1] == 0x85 or data[i + 1] == 0xA0) else 0
    if i + 2 >= n:
        return 0
    b1 = data[i + 1]
    b2 = data[i + 2]
    if c == 0xE1:
        return 3 if b1 == 0x9A and b2 == 0x80 else 0
    if c == 0xE2:
        if b1 == 0x80 and (b2 <= 0x8A or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF):
            return 3
        return 3 if b1 == 0x81 and b2 == 0x9F else 0
    if c == 0xE3:
        return 3 if b1 == 0x80 and b2 == 0x80 else 0
    return 0


@njit(nogil=True, cache=True)
def encode_bytes(data, final, table, ids, doc_lengths, state):
    """Encode ``data[state[POS]:]`` into ``ids`` and ``doc_lengths``; returns a status.

    ``data`` holds whole lines, except at the end of the input (``final``), where an
    unterminated last line is a document too. ``state`` carries the counters between
    calls (see the field names). The caller empties a full output buffer (resetting its
    counter) or grows the table, then calls again.
    """
    n = data.shape[0]
    i = state[POS]
    n_ids = state[N_IDS]
    n_docs = state[N_DOCS]
    n_types = state[N_TYPES]
    n_bytes = state[N_BYTES]
    doc_length = state[DOC_LENGTH]
    line_open = state[LINE_OPEN]
    slots = table.slots
    mask = slots.shape[0] - 1
    status = DONE
    while i < n:
        c = data[i]
        if c == 0x0A or c == 0x0D:  # end of a document
            if n_docs == doc_lengths.shape[0]:
                status = LENGTHS_FULL
                break
            doc_lengths[n_docs] = doc_length
            n_docs += 1
            doc_length = 0
            line_open = 0
            i += 2 if c == 0x0D and i + 1 < n and data[i + 1] == 0x0A else 1
            continue
        line_open = 1
        width = _space(data, i, n)
        if width:
            i += width
            continue
        if n_ids == ids.shape[0]:
            status = IDS_FULL
            break
        j = i
        h = _FNV_OFFSET
        while j < n:
            b = data[j]
            if not (0x20 < b < 0x80):  # printable ASCII is never a space: the fast case
                if b == 0x0A or b == 0x0D or _space(data, j, n):
                    break
            h = (h ^ np.uint64(b)) * _FNV_PRIME
            j += 1
        length = j - i
        slot = np.int64(h & np.uint64(mask))
        while True:
            t = slots[slot]
            if t < 0:
                if (2 * (n_types + 1) >= slots.shape[0] or n_types + 1 >= table.hashes.shape[0]
                        or n_bytes + length > table.type_bytes.shape[0]):  # fmt: skip
                    status = GROW
                    break
                t = n_types
                n_types += 1
                slots[slot] = t
                table.hashes[t] = h
                table.starts[t] = n_bytes
                table.lengths[t] = length
                for k in range(length):
                    table.type_bytes[n_bytes + k] = data[i + k]
                n_bytes += length
                break
            if table.hashes[t] == h and table.lengths[t] == length:
                start = table.starts[t]
                same = True
                for k in range(length):
                    if table.type_bytes[start + k] != data[i + k]:
                        same = False
                        break
                if same:
                    break
            slot = (slot + 1) & mask
        if status == GROW:
            break
        ids[n_ids] = t
        n_ids += 1
        doc_length += 1
        i = j
    if status == DONE and final and line_open:
        if n_docs == doc_lengths.shape[0]:
            status = LENGTHS_FULL
        else:
            doc_lengths[n_docs] = doc_length
            n_docs += 1
            doc_length = 0
            line_open = 0
    state[POS] = i
    state[N_IDS] = n_ids
    state[N_DOCS] = n_docs
    state[N_TYPES] = n_types
    state[N_BYTES] = n_bytes
    state[DOC_LENGTH] = doc_length
    state[LINE_OPEN] = line_open
    return status
