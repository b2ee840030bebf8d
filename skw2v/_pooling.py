"""Document vectors from word vectors: pooling over the CSR-encoded documents."""

from __future__ import annotations

import numpy as np

from . import _kernels
from ._corpus import EncodedCorpus


def mean_vectors(corpus: EncodedCorpus, vectors: np.ndarray) -> np.ndarray:
    """Mean of each document's word vectors, float32; a zero row for an empty document."""
    out = np.empty((corpus.n_documents, vectors.shape[1]), dtype=np.float32)
    _kernels.mean_pool(corpus.ids, corpus.indptr, vectors, out)
    return out
