"""The vocabulary's kernel: re-encoding a corpus from provisional ids (order of first
appearance) to the final vocabulary ids, dropping the words below ``min_count``."""

from __future__ import annotations

import numpy as np
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


@njit(inline="always")
def _sift_down(heap, weight, start, pos):
    """CPython ``heapq._siftdown``, comparing the nodes' weights only."""
    item = heap[pos]
    while pos > start:
        parent = (pos - 1) >> 1
        if weight[item] < weight[heap[parent]]:
            heap[pos] = heap[parent]
            pos = parent
            continue
        break
    heap[pos] = item


@njit(inline="always")
def _sift_up(heap, weight, end, pos):
    """CPython ``heapq._siftup`` over ``heap[:end]``, comparing weights only."""
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not weight[heap[child]] < weight[heap[right]]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _sift_down(heap, weight, start, pos)


@njit(cache=True)
def huffman_heap(weight, n):
    """Merge the ``n`` leaves whose counts are ``weight[:n]`` into a Huffman tree exactly
    as gensim does: a binary heap (CPython's ``heapq`` algorithm) ordered by weight
    alone, so equal weights leave in the order the heap's layout gives; each merge pops
    the two lightest nodes (the first gets branch bit 0, the second bit 1) and pushes
    their parent, inner node ``n + step``. ``weight`` has ``2n - 1`` entries; the inner
    nodes' are filled in. Returns ``(parent, bit)``."""
    parent = np.zeros(2 * n - 1, dtype=np.int64)
    bit = np.zeros(2 * n - 1, dtype=np.uint8)
    heap = np.arange(n, dtype=np.int64)
    size = n
    for pos in range(n // 2 - 1, -1, -1):  # heapify
        _sift_up(heap, weight, size, pos)
    for step in range(n - 1):
        pair = np.empty(2, dtype=np.int64)
        for m in range(2):  # heappop
            size -= 1
            last = heap[size]
            if size > 0:
                pair[m] = heap[0]
                heap[0] = last
                _sift_up(heap, weight, size, 0)
            else:
                pair[m] = last
        node = n + step
        weight[node] = weight[pair[0]] + weight[pair[1]]
        parent[pair[0]] = node
        parent[pair[1]] = node
        bit[pair[1]] = 1
        heap[size] = node  # heappush
        size += 1
        _sift_down(heap, weight, 0, size - 1)
    return parent, bit
