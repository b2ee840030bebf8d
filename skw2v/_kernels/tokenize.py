"""Split and encode UTF-8 text in a numba kernel, without a Python object per token.

:func:`encode_bytes` reads raw bytes: documents end at ``\\n``, ``\\r`` or ``\\r\\n``
(Python's universal newlines) and tokens are separated by exactly the characters for
which ``str.isspace()`` is true (ASCII and Unicode spaces, as their UTF-8 byte
sequences), so the tokens are those of ``line.split()``. Each distinct token gets an id
in order of first appearance from an open-addressing hash table over its bytes (FNV-1a,
with a byte comparison on every hit), and its bytes are kept once, each followed by
``\\n``, so that the new words of a file decode into ``str`` with one ``bytes.decode``
and one ``str.split``. The result is the same as encoding ``line.split()`` with a dict,
at C speed.

The kernel reads each byte once: printable ASCII, the common case, costs a compare and
a hash step; only a byte outside it is checked for white space or a line end. Its loop
calls no helper that takes an array: numba counts references to the arrays passed to a
function, and that (an atomic increment and decrement per call) made the earlier
version of this kernel 2.3 times slower.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)

#: A type id must fit in the ``int32`` ids and slots.
MAX_TYPES = np.iinfo(np.int32).max - 1

#: Statuses of :func:`encode_bytes`: every byte consumed; or stopped at ``state[POS]``
#: because an output buffer is full, or because a table needs to grow.
DONE = 0
IDS_FULL = 1
LENGTHS_FULL = 2
GROW = 3

#: Fields of the ``state`` array.
POS, N_IDS, N_DOCS, N_TYPES, N_BYTES, DOC_LENGTH, LINE_OPEN = range(7)


class TypeTable(NamedTuple):
    """The distinct tokens seen so far.

    ``slots`` (a power of 2 long) holds -1 for an empty slot, else a type id. Type
    ``t``'s bytes are ``type_bytes[offsets[t] : offsets[t + 1] - 1]``, followed by a
    ``\\n``; ``offsets[0]`` is 0.
    """

    slots: np.ndarray  # int32
    offsets: np.ndarray  # int64, one more than the types it has room for
    type_bytes: np.ndarray  # uint8


def new_table(slots: int = 1 << 16) -> TypeTable:
    return TypeTable(np.full(slots, -1, np.int32), np.zeros(slots // 2 + 1, np.int64),
                     np.zeros(1 << 20, np.uint8))  # fmt: skip


def grown(table: TypeTable, n_types: int, n_bytes: int, need_bytes: int) -> TypeTable:
    """A table with twice the slots (rehashed) and room for ``need_bytes`` more bytes."""
    if n_types >= MAX_TYPES:
        raise ValueError(f"The corpus has more than {MAX_TYPES:,} distinct words.")
    slots, offsets, type_bytes = table
    if 2 * (n_types + 1) >= slots.shape[0]:
        slots = np.full(2 * slots.shape[0], -1, np.int32)
        _rehash(slots, offsets, type_bytes, n_types)
    if n_types + 2 > offsets.shape[0]:
        offsets = np.concatenate([offsets, np.zeros(offsets.shape[0], np.int64)])
    if n_bytes + need_bytes + 1 > type_bytes.shape[0]:
        size = max(2 * type_bytes.shape[0], n_bytes + need_bytes + 1)
        type_bytes = np.concatenate([type_bytes, np.zeros(size - type_bytes.shape[0], np.uint8)])
    return TypeTable(slots, offsets, type_bytes)


def with_room(table: TypeTable, n_types: int, n_bytes: int) -> TypeTable:
    """``table`` with ``offsets`` and ``type_bytes`` long enough for ``n_types`` types of
    ``n_bytes`` bytes in all (separators included); the slots are left as they are."""
    slots, offsets, type_bytes = table
    if n_types + 1 > offsets.shape[0]:
        offsets = np.concatenate([offsets, np.zeros(n_types + 1 - offsets.shape[0], np.int64)])
    if n_bytes > type_bytes.shape[0]:
        type_bytes = np.concatenate([type_bytes, np.zeros(n_bytes - type_bytes.shape[0], np.uint8)])
    return TypeTable(slots, offsets, type_bytes)


def decode_types(table: TypeTable, first: int, stop: int) -> list[str]:
    """The words of types ``first .. stop - 1`` (strict UTF-8: raises
    ``UnicodeDecodeError`` on invalid bytes)."""
    raw = memoryview(table.type_bytes[table.offsets[first] : table.offsets[stop]])
    if stop - first == 1:  # no copy of a long word for the split
        return [str(raw[:-1], "utf-8")]
    return str(raw, "utf-8").split("\n")[:-1]


@njit(cache=True)
def _rehash(slots, offsets, type_bytes, n_types):
    mask = slots.shape[0] - 1
    for t in range(n_types):
        h = _FNV_OFFSET
        for k in range(offsets[t], offsets[t + 1] - 1):
            h = (h ^ np.uint64(type_bytes[k])) * _FNV_PRIME
        slot = np.int64(h & np.uint64(mask))
        while slots[slot] >= 0:
            slot = (slot + 1) & mask
        slots[slot] = t


@njit(inline="always")
def _ascii_space(c):
    """Whether the byte ``c`` < 0x80 is white space other than a line end."""
    return c == 0x20 or c == 0x09 or c == 0x0B or c == 0x0C or 0x1C <= c <= 0x1F


@njit(inline="always")
def _unicode_space(c, b1, b2):
    """Length in bytes of the white-space character whose UTF-8 starts with the bytes
    ``c`` (>= 0x80), ``b1``, ``b2`` (0 past the end of the data); 0 if it is none."""
    if c == 0xC2:
        return 2 if b1 == 0x85 or b1 == 0xA0 else 0
    if c == 0xE1:
        return 3 if b1 == 0x9A and b2 == 0x80 else 0
    if c == 0xE2:
        # U+2000..U+200A: the third byte must be a continuation byte (0x80..0x8A), or
        # a truncated sequence would swallow the line end after it
        if b1 == 0x80 and (0x80 <= b2 <= 0x8A or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF):
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
    slots, offsets, type_bytes = table
    mask = slots.shape[0] - 1
    status = DONE
    start = -1  # where the current token began, if one is open
    h = _FNV_OFFSET
    while True:
        width = 0
        newline = False
        if i < n:
            b = data[i]
            if 0x20 < b < 0x80:  # printable ASCII is never a space: the fast case
                if start < 0:
                    start = i
                h = (h ^ np.uint64(b)) * _FNV_PRIME
                i += 1
                continue
            newline = b == 0x0A or b == 0x0D
            if not newline:
                if b < 0x80:
                    width = 1 if _ascii_space(b) else 0
                else:
                    b1 = data[i + 1] if i + 1 < n else 0
                    b2 = data[i + 2] if i + 2 < n else 0
                    width = _unicode_space(b, b1, b2)
                if width == 0:  # any other byte is part of a token
                    if start < 0:
                        start = i
                    h = (h ^ np.uint64(b)) * _FNV_PRIME
                    i += 1
                    continue
        if start >= 0:  # a token ends at i
            if n_ids == ids.shape[0]:
                status = IDS_FULL
                i = start
                break
            # The token's id: its hash's slot, then the next ones until the token's bytes
            # or an empty slot (a new type). No helper function here: numba counts
            # references to the arrays passed to one, on every call.
            length = i - start
            slot = np.int64(h & np.uint64(mask))
            while True:
                t = slots[slot]
                if t < 0:
                    break
                first = offsets[t]
                if offsets[t + 1] - 1 - first == length:
                    k = 0
                    while k < length and type_bytes[first + k] == data[start + k]:
                        k += 1
                    if k == length:
                        break
                slot = (slot + 1) & mask
            if t < 0:  # a new type
                if (2 * (n_types + 1) >= slots.shape[0] or n_types + 2 > offsets.shape[0]
                        or n_bytes + length + 1 > type_bytes.shape[0]):  # fmt: skip
                    status = GROW
                    i = start
                    break
                t = n_types
                n_types += 1
                slots[slot] = t
                type_bytes[n_bytes : n_bytes + length] = data[start:i]
                type_bytes[n_bytes + length] = 0x0A
                n_bytes += length + 1
                offsets[t + 1] = n_bytes
            ids[n_ids] = t
            n_ids += 1
            doc_length += 1
            line_open = 1
            start = -1
            h = _FNV_OFFSET
        if i >= n:
            break
        if newline:  # end of a document
            if n_docs == doc_lengths.shape[0]:
                status = LENGTHS_FULL
                break
            doc_lengths[n_docs] = doc_length
            n_docs += 1
            doc_length = 0
            line_open = 0
            i += 2 if data[i] == 0x0D and i + 1 < n and data[i + 1] == 0x0A else 1
        else:
            line_open = 1
            i += width
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


@njit(cache=True)
def build_slots(slots, offsets, type_bytes, n_types):
    """Fill ``slots`` (all -1, a power of 2 longer than twice ``n_types``) with the types
    of ``offsets`` and ``type_bytes``: the lookup table of a fixed vocabulary."""
    _rehash(slots, offsets, type_bytes, n_types)


@njit(nogil=True, cache=True)
def encode_joined(data, lengths, slots, offsets, type_bytes, ids, indptr):
    """Look up the tokens of ``data`` in a fixed table.

    ``data`` is made of pieces, each ended by a separator byte (``\x00`` or ``\x01``)
    or, for the last, by the end of ``data``: document ``d`` is the next ``lengths[d]``
    pieces, or one empty piece if it has no token. The ids of the tokens found in the
    table go to ``ids`` (unknown tokens are dropped), document ``d``'s to
    ``ids[indptr[d]:indptr[d + 1]]``. Returns ``False`` when ``data`` does not hold
    exactly the pieces ``lengths`` calls for (a token that contains a separator makes
    one more); the ids are then meaningless. Nothing is read past ``data``'s end.
    """
    n = data.shape[0]
    mask = slots.shape[0] - 1
    i = 0
    n_ids = 0
    indptr[0] = 0
    for d in range(lengths.shape[0]):
        if lengths[d] == 0:  # one empty piece
            if (i < n and data[i] > 1) or i > n:
                return False
            i += 1
        for _ in range(lengths[d]):
            if i > n:
                return False
            start = i
            h = _FNV_OFFSET
            while i < n and data[i] > 1:
                h = (h ^ np.uint64(data[i])) * _FNV_PRIME
                i += 1
            length = i - start
            i += 1  # past the separator
            slot = np.int64(h & np.uint64(mask))
            while True:
                t = slots[slot]
                if t < 0:
                    break
                first = offsets[t]
                if offsets[t + 1] - 1 - first == length:
                    k = 0
                    while k < length and type_bytes[first + k] == data[start + k]:
                        k += 1
                    if k == length:
                        break
                slot = (slot + 1) & mask
            if t >= 0:
                ids[n_ids] = t
                n_ids += 1
        indptr[d + 1] = n_ids
    # every piece read, the last one ended by the end of data (no documents: no data)
    return i == n + 1 or (lengths.shape[0] == 0 and n == 0)


#: Fields of the ``state`` array of :func:`count_joined`.
J_POS, J_DOC, J_PIECE, J_IDS, J_TYPES, J_BYTES = range(6)

#: Statuses of :func:`count_joined` besides ``DONE`` and ``GROW``: the joined text does
#: not hold the pieces the documents' lengths call for.
MISMATCH = 4


@njit(nogil=True, cache=True)
def count_joined(data, lengths, table, ids, state):
    """:func:`encode_joined`'s split, numbering new tokens: every distinct token gets the
    next type id in order of first appearance (its bytes go to ``table``, each followed
    by ``\\x00``), and the ids of all tokens go to ``ids``. ``state`` (see the field
    names) carries the position between calls; returns ``DONE``, ``GROW`` (the slots are
    half full: the caller grows them and calls again) or ``MISMATCH`` (a token held a
    separator; nothing of the result is meaningful). The caller gives ``table`` room for
    every token of ``data`` as a new type in ``offsets`` and ``type_bytes``, so only the
    slots can run out.
    """
    n = data.shape[0]
    slots, offsets, type_bytes = table
    mask = slots.shape[0] - 1
    i = state[J_POS]
    piece = state[J_PIECE]
    n_ids = state[J_IDS]
    n_types = state[J_TYPES]
    n_bytes = state[J_BYTES]
    status = DONE
    d = state[J_DOC]
    while d < lengths.shape[0]:
        if lengths[d] == 0:  # one empty piece
            if (i < n and data[i] > 1) or i > n:
                return MISMATCH
            i += 1
        while piece < lengths[d]:
            if i > n:
                return MISMATCH
            start = i
            h = _FNV_OFFSET
            while i < n and data[i] > 1:
                h = (h ^ np.uint64(data[i])) * _FNV_PRIME
                i += 1
            length = i - start
            slot = np.int64(h & np.uint64(mask))
            while True:
                t = slots[slot]
                if t < 0:
                    break
                first = offsets[t]
                if offsets[t + 1] - 1 - first == length:
                    k = 0
                    while k < length and type_bytes[first + k] == data[start + k]:
                        k += 1
                    if k == length:
                        break
                slot = (slot + 1) & mask
            if t < 0:  # a new type
                if 2 * (n_types + 1) >= slots.shape[0]:
                    status = GROW
                    i = start
                    break
                t = n_types
                n_types += 1
                slots[slot] = t
                type_bytes[n_bytes : n_bytes + length] = data[start:i]
                type_bytes[n_bytes + length] = 0
                n_bytes += length + 1
                offsets[t + 1] = n_bytes
            ids[n_ids] = t
            n_ids += 1
            piece += 1
            i += 1  # past the separator
        if status == GROW:
            break
        piece = 0
        d += 1
    state[J_POS] = i
    state[J_DOC] = d
    state[J_PIECE] = piece
    state[J_IDS] = n_ids
    state[J_TYPES] = n_types
    state[J_BYTES] = n_bytes
    if status == DONE and not (i == n + 1 or (lengths.shape[0] == 0 and n == 0)):
        return MISMATCH
    return status
