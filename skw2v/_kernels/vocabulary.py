"""The vocabulary's kernel: re-encoding a corpus from provisional ids (order of first
appearance) to the final vocabulary ids, dropping the words below ``min_count``."""

from __future__ import annotations

from numba import njit


@njit(nogil=True, cache=True)
def remap_ids(chunk, new_id, out, filled, offset, indptr, document, dropped_per_doc):
    """Re-encode one chunk of a corpus: ``new_id[chunk[k]]`` goes to ``out[filled:]``,
    or, when it is -1, counts as a dropped token of its document.

    ``offset`` is the chunk's first token position in the corpus whose document offsets
    are ``indptr``, and ``document`` the document of that token or one before it.
    Returns the new ``filled`` and ``document``, for the next chunk.
    """
    for k in range(chunk.shape[0]):
        while indptr[document + 1] <= offset + k:
            document += 1
        word = new_id[chunk[k]]
        if word >= 0:
            out[filled] = word
            filled += 1
        else:
            dropped_per_doc[document] += 1
    return filled, document
