"""Inference of paragraph vectors for new documents: the work plan, the seed and the
threads around the compiled inference kernels (``doc_kernels.INFERRERS``)."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral

import numpy as np

from .._kernels import documents as doc_kernels
from .._kernels import words as word_kernels
from . import driver
from .corpus import EncodedCorpus


def document_chunks(
    indptr: np.ndarray, chunk_tokens: int = word_kernels.CHUNK_TOKENS
) -> np.ndarray:
    """Group documents into chunks of about ``chunk_tokens`` tokens (a document is never
    split): chunk ``c`` holds documents ``doc_ptr[c]:doc_ptr[c + 1]``."""
    n_documents = indptr.shape[0] - 1
    starts = indptr[:-1] // chunk_tokens
    boundaries = np.flatnonzero(np.diff(starts)) + 1
    return np.concatenate([[0], boundaries, [n_documents]]).astype(np.int64)


def inference_seed(random_state) -> np.uint64:
    """The seed of every document's inference stream: from an int (the same vectors on
    every call), from one draw of a ``RandomState`` (new vectors on every call), or a fixed
    seed for ``None`` (deterministic inference, whatever the fit)."""
    if random_state is None:
        return np.uint64(0x5EED)
    if isinstance(random_state, Integral):
        words = np.random.SeedSequence([int(random_state), 0xD0C]).generate_state(2, np.uint32)
        return np.uint64((int(words[0]) << 32) | int(words[1]))
    return np.uint64(random_state.randint(1, np.iinfo(np.int64).max, dtype=np.int64))


def infer_vectors(
    corpus: EncodedCorpus,
    model: word_kernels.Model,
    tables: word_kernels.Tables,
    params: Mapping,
    epochs: int,
    seed: np.uint64,
    n_threads: int,
) -> np.ndarray:
    """Infer one vector per document of ``corpus`` with ``model`` frozen (float32, one row
    per document; zeros for a document without words)."""
    config = driver.kernel_config(params, corpus.n_documents)  # progress unused here
    config = config._replace(with_loss=False, seed=seed)
    out = np.empty((corpus.n_documents, model.syn1.shape[1]), dtype=np.float32)
    modes = (driver.DOCUMENT_MODES[params["mode"]],
             driver.OBJECTIVES[params["objective"]].code)  # fmt: skip
    job = doc_kernels.Inference(
        corpus.ids, corpus.indptr, document_chunks(corpus.indptr), model, tables, config,
        int(epochs), out, np.zeros(1, dtype=np.int64),
    )  # fmt: skip
    kernel = doc_kernels.INFERRERS[modes]
    if n_threads <= 1:
        kernel(job)
    else:
        with ThreadPoolExecutor(n_threads) as executor:
            driver.run_threads(kernel, job, n_threads, executor)
    return out
