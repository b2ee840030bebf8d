"""Document vectors from word vectors: pooling over the CSR-encoded documents."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _kernels
from ._corpus import EncodedCorpus, TokenLookup, encode
from ._threads import numba_threads

#: Large list inputs are encoded in batches of this many documents, each pooled on a
#: worker thread (the kernel releases the GIL) while the next batch is being encoded.
BATCH_DOCUMENTS = 32_768


def mean_vectors(corpus: EncodedCorpus, vectors: np.ndarray, n_threads: int = 1) -> np.ndarray:
    """Mean of each document's word vectors, float32; a zero row for an empty document."""
    out = np.empty((corpus.n_documents, vectors.shape[1]), dtype=np.float32)
    kernel = _kernels.mean_pool_parallel if n_threads > 1 else _kernels.mean_pool
    with numba_threads(n_threads):
        kernel(corpus.ids, corpus.indptr, vectors, out)
    return out


def document_vectors(
    X: object, lookup: TokenLookup, vectors: np.ndarray, n_threads: int = 1
) -> np.ndarray:
    """Encode the documents of ``X`` and pool them (mean), overlapping the two for big inputs.

    Encoding runs Python's C-level dict lookups under the GIL; pooling runs in a ``nogil``
    numba kernel. For a list or tuple of more than ``BATCH_DOCUMENTS`` documents, batch
    ``i`` is pooled on a worker thread while batch ``i + 1`` is encoded.
    """
    if not isinstance(X, (list, tuple)) or len(X) <= BATCH_DOCUMENTS:
        return mean_vectors(encode(X, lookup), vectors, n_threads)
    out = np.empty((len(X), vectors.shape[1]), dtype=np.float32)
    with ThreadPoolExecutor(max_workers=1) as worker:
        pending = None
        for start in range(0, len(X), BATCH_DOCUMENTS):
            stop = min(start + BATCH_DOCUMENTS, len(X))
            batch = encode(X[start:stop], lookup, first_document=start)
            if pending is not None:
                pending.result()
            pending = worker.submit(
                _kernels.mean_pool, batch.ids, batch.indptr, vectors, out[start:stop]
            )
        pending.result()
    return out
