"""Encode many token lists at once: one joined byte string, looked up in a numba kernel.

Encoding a list of token lists with a dict costs a Python lookup per token, under the
GIL. Here the tokens are joined into one string (``str.join``, in C: ``"\\x00"``
between the tokens of a document, ``"\\x01"`` between documents) and encoded to UTF-8
once, and the kernel :func:`~skw2v._kernels.tokenize.encode_joined` splits and looks
them up in a hash table over the vocabulary's bytes, without the GIL, so that it runs
on worker threads beside the next batch's join.

The result is exactly the dict's: two strings are equal if and only if their UTF-8
bytes are. The kernel checks that the joined text holds exactly the tokens the
documents' lengths call for; a token that contains a separator, a non-string token or
a string that UTF-8 cannot encode (a lone surrogate) sends the batch back to the dict
path, which raises the usual errors.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._kernels.tokenize import TypeTable, build_slots, encode_joined
from .corpus import EncodedCorpus, join_tokens

__all__ = ["join_tokens", "lookup_joined", "vocabulary_table"]


def vocabulary_table(key_to_index: Mapping[str, int]) -> TypeTable | None:
    """The vocabulary as a lookup table for :func:`lookup_joined` (type ``t`` is row
    ``t``), or ``None`` when it cannot be one (rows not numbered in key order, a key
    that is not a ``str`` or that UTF-8 cannot encode)."""
    words = list(key_to_index)
    rows = np.fromiter(key_to_index.values(), dtype=np.int64, count=len(words))
    if not np.array_equal(rows, np.arange(len(words))):
        return None
    try:
        encoded = [word.encode("utf-8") for word in words]
    except (AttributeError, UnicodeEncodeError):
        return None
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(words)) + 1,
              out=offsets[1:])  # fmt: skip
    # each word's bytes followed by one separator byte, which the hash leaves out
    type_bytes = np.frombuffer(b"\x00".join(encoded) + b"\x00", dtype=np.uint8)
    slots = np.full(1 << (4 * len(words) + 4).bit_length(), -1, dtype=np.int32)
    build_slots(slots, offsets, type_bytes, len(words))
    return TypeTable(slots, offsets, type_bytes)


def lookup_joined(data: np.ndarray, lengths: np.ndarray, table: TypeTable) -> EncodedCorpus | None:
    """The documents of :func:`join_tokens`'s output encoded with ``table`` (unknown
    tokens dropped), or ``None`` when a token contained a separator. Releases the GIL
    while it looks tokens up."""
    ids = np.empty(int(lengths.sum()), dtype=np.int32)
    indptr = np.empty(lengths.shape[0] + 1, dtype=np.int64)
    if not encode_joined(data, lengths, table.slots, table.offsets, table.type_bytes, ids,
                         indptr):  # fmt: skip
        return None
    return EncodedCorpus(ids=ids[: indptr[-1]], indptr=indptr)
