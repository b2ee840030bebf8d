"""Document vectors from word vectors: weighting, pooling, post-processing.

One implementation for every transformer: :func:`fit_pooling` computes what a pooling
needs from the documents seen in ``fit`` (idf, SIF weights and principal component), and
:func:`document_vectors` encodes and pools new documents with it in numba kernels.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from ._kernels import pooling as kernels
from ._kernels.tokenize import TypeTable
from ._state import InconsistentStateError, check_kernel_indices
from ._training.corpus import EncodedCorpus, TokenLookup, encode, is_token_list_sequence
from ._training.joined import join_tokens, lookup_joined

POOLINGS = ("mean", "sum", "max", "tfidf", "sif")
EMPTY_POLICIES = ("zeros", "nan", "error")

#: Fewer tokens than this are pooled on one thread (starting threads would cost more).
PARALLEL_MIN_TOKENS = 100_000

#: Large list inputs are encoded in batches of this many documents, each pooled on a
#: worker thread (the kernel releases the GIL) while the next batch is being encoded.
BATCH_DOCUMENTS = 32_768

#: Lists of at least this many token lists are encoded through one joined string per
#: batch (:mod:`skw2v._training.joined`); smaller inputs are not worth the join.
JOINED_MIN_DOCUMENTS = 1_000

_MODES = {
    "mean": kernels.POOL_WEIGHTED_MEAN,
    "sum": kernels.POOL_SUM,
    "max": kernels.POOL_MAX,
    "tfidf": kernels.POOL_WEIGHTED_MEAN,
    "sif": kernels.POOL_AVERAGE,
}


@dataclass(frozen=True)
class PoolingState:
    """Everything ``transform`` needs besides the word vectors."""

    pooling: str
    weights: np.ndarray  # float32 per word
    component: np.ndarray | None  # SIF: unit principal component removed from every row
    normalize: bool
    empty: str

    @property
    def mode(self) -> int:
        if self.pooling == "sum" and self.normalize:
            # the mean has the sum's direction, and cannot overflow float32 where the
            # sum of huge vectors would (inf / inf: NaN rows once normalised)
            return kernels.POOL_WEIGHTED_MEAN
        return _MODES[self.pooling]


def with_unseen_rows(state: PoolingState, n_rows: int) -> PoolingState:
    """``state`` for vectors with rows appended for unseen words: each gets the largest
    weight of a known word (the idf of the rarest word, or ~1 for SIF; 1 otherwise)."""
    extra = n_rows - state.weights.shape[0]
    if extra <= 0:
        return state
    fill = state.weights.max() if state.weights.shape[0] else np.float32(1.0)
    weights = np.concatenate([state.weights, np.full(extra, fill, dtype=np.float32)])
    return replace(state, weights=weights)


def smooth_idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """scikit-learn's smooth idf: ``ln((1 + n) / (1 + df)) + 1``."""
    return np.log((1.0 + n_documents) / (1.0 + document_frequency)) + 1.0


def sif_weights(counts: np.ndarray, sif_alpha: float) -> np.ndarray:
    """Arora et al. (2017): ``a / (a + p(w))`` with ``p`` the relative word frequency."""
    if counts.shape[0] and (counts.min() < 0 or counts.sum() <= 0):
        raise ValueError(
            "pooling='sif' needs word counts that are >= 0 and not all zero; these vectors' "
            "counts are not. Load the vectors with their counts (fvocab) or use another pooling."
        )
    return sif_alpha / (sif_alpha + counts / counts.sum())


def fit_pooling(
    pooling: str,
    vectors: np.ndarray,
    counts: np.ndarray,
    corpus: EncodedCorpus | None,
    *,
    sif_alpha: float = 1e-3,
    normalize: bool = False,
    empty: str = "zeros",
    n_threads: int = 1,
) -> PoolingState:
    """Statistics of ``pooling`` from the documents seen in ``fit`` (``corpus``).

    ``tfidf`` needs ``corpus`` (document frequencies). ``sif`` needs it too (the first
    principal component of the fit documents' SIF vectors is removed from every vector)
    and takes word frequencies from ``counts`` when they are known (non-zero), else from
    ``corpus``.
    """
    n_words = vectors.shape[0]
    weights = np.ones(n_words, dtype=np.float64)
    component = None
    if pooling in ("tfidf", "sif") and corpus is None:
        raise ValueError(
            f"pooling={pooling!r} learns word statistics from the documents passed to fit; "
            "call fit(X) with documents."
        )
    if pooling in ("tfidf", "sif"):  # the statistics read the corpus in kernels
        check_kernel_indices(corpus.ids, n_words, "pooling statistics")
    if pooling == "tfidf":
        df = kernels.document_frequency(corpus.ids, corpus.indptr, n_words)
        weights = smooth_idf(df, corpus.n_documents)
    elif pooling == "sif":
        if not counts.any():
            counts = np.bincount(corpus.ids, minlength=n_words)
        if not counts.any():
            raise ValueError(
                "pooling='sif' needs word frequencies: the word vectors have no counts and "
                "the documents passed to fit contain no known word. Pass documents that use "
                "the vocabulary, vectors with counts (fvocab), or another pooling."
            )
        weights = sif_weights(counts.astype(np.float64), sif_alpha)
    state = PoolingState(pooling, weights.astype(np.float32), None, normalize, "zeros")
    if pooling == "sif" and corpus.n_documents > 0:
        pooled = _pool(corpus, vectors, state, n_threads)
        component = first_principal_component(pooled)
    return PoolingState(pooling, state.weights, component, normalize, empty)


def first_principal_component(X: np.ndarray) -> np.ndarray:
    """Unit vector of the largest singular value of ``X`` (uncentred, as in Arora et al.)."""
    X = X.astype(np.float64)
    _, eigenvectors = np.linalg.eigh(X.T @ X)
    return eigenvectors[:, -1].astype(np.float32)


def _pool(corpus: EncodedCorpus, vectors: np.ndarray, state: PoolingState, n_threads: int):
    """Pool every document of ``corpus``; with threads, each pools a contiguous range of
    documents holding about the same number of tokens (the kernel releases the GIL)."""
    _check_pool_inputs(corpus, vectors, state)
    out = np.empty((corpus.n_documents, vectors.shape[1]), dtype=np.float32)
    n_threads = min(n_threads, max(corpus.n_documents, 1))
    if n_threads == 1 or corpus.n_tokens < PARALLEL_MIN_TOKENS:
        kernels.pool(corpus.ids, corpus.indptr, state.weights, vectors, state.mode, out)
        return out
    targets = np.linspace(0, corpus.n_tokens, n_threads + 1)[1:-1]
    cuts = np.searchsorted(corpus.indptr, targets)
    bounds = [0, *np.clip(cuts, 0, corpus.n_documents).tolist(), corpus.n_documents]
    with ThreadPoolExecutor(n_threads) as workers:
        futures = []
        for start, stop in itertools.pairwise(bounds):
            if stop > start:
                indptr = corpus.indptr[start : stop + 1]
                args = (corpus.ids, indptr, state.weights, vectors, state.mode, out[start:stop])
                futures.append(workers.submit(kernels.pool, *args))
        for future in futures:
            future.result()
    return out


def _check_pool_inputs(corpus: EncodedCorpus, vectors: np.ndarray, state: PoolingState) -> None:
    if state.weights.shape[0] != vectors.shape[0]:
        raise InconsistentStateError(
            f"{state.weights.shape[0]} pooling weights for {vectors.shape[0]} word vectors; "
            "fit again."
        )
    check_kernel_indices(corpus.ids, vectors.shape[0], "transform")


def _finish(out: np.ndarray, empty_rows: np.ndarray, state: PoolingState) -> np.ndarray:
    """SIF component removal, normalisation and the empty-document policy, in place."""
    if state.empty == "error" and empty_rows.any():
        first = int(np.flatnonzero(empty_rows)[0])
        raise ValueError(
            f"Document {first} has no word in the vocabulary ({int(empty_rows.sum())} such "
            "documents in all) and empty='error'. Use empty='zeros' or empty='nan' to allow "
            "them."
        )
    if state.component is not None:
        out -= np.outer(out @ state.component, state.component)
    if state.normalize:
        # In float64: float32 squares overflow for huge rows and vanish for tiny ones.
        wide = out.astype(np.float64)
        norms = np.linalg.norm(wide, axis=1, keepdims=True)
        np.divide(wide, norms, out=wide, where=norms > 0)
        out[...] = wide
    if state.empty == "nan":
        out[empty_rows] = np.nan
    return out


def pool_encoded(
    corpus: EncodedCorpus, vectors: np.ndarray, state: PoolingState, n_threads: int = 1
) -> np.ndarray:
    """Document vectors of an encoded corpus (``fit_transform`` pools its training corpus)."""
    out = _pool(corpus, vectors, state, n_threads)
    return _finish(out, np.diff(corpus.indptr) == 0, state)


def document_vectors(
    X: object,
    lookup: TokenLookup,
    vectors: np.ndarray,
    state: PoolingState,
    n_threads: int = 1,
    table: Callable[[], TypeTable | None] | None = None,
) -> np.ndarray:
    """Encode and pool the documents of ``X``, overlapping the two for big inputs.

    A list or tuple of at least ``JOINED_MIN_DOCUMENTS`` token lists, when ``table`` (a
    function, called only then) gives the vocabulary's byte table, is encoded in batches
    of ``BATCH_DOCUMENTS``: the main thread joins a batch's tokens into one UTF-8 string
    (:mod:`skw2v._training.joined`) while ``n_threads`` worker threads look the previous
    batches up and pool them (both kernels release the GIL). Otherwise encoding runs
    Python's C-level dict lookups under the GIL, and for more than ``BATCH_DOCUMENTS``
    documents batch ``i`` is pooled on a worker thread while batch ``i + 1`` is encoded.
    """
    listed = isinstance(X, (list, tuple))
    joined = table is not None and listed and len(X) >= JOINED_MIN_DOCUMENTS
    if joined:
        table = table()
        joined = table is not None and is_token_list_sequence(X)
    if not joined and (not listed or len(X) <= BATCH_DOCUMENTS):
        return pool_encoded(encode(X, lookup), vectors, state, n_threads)
    out = np.empty((len(X), vectors.shape[1]), dtype=np.float32)
    empty_rows = np.empty(len(X), dtype=bool)

    def pool_batch(start: int, stop: int, batch) -> None:
        if not isinstance(batch, EncodedCorpus):
            joined_batch = lookup_joined(*batch, table)
            # None: a token holds a separator, so the dict path (under the GIL)
            batch = (
                joined_batch
                if joined_batch is not None
                else encode(X[start:stop], lookup, first_document=start)
            )
        _check_pool_inputs(batch, vectors, state)
        empty_rows[start:stop] = np.diff(batch.indptr) == 0
        kernels.pool(batch.ids, batch.indptr, state.weights, vectors, state.mode, out[start:stop])

    workers = max(1, n_threads) if joined else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: list = []
        for start in range(0, len(X), BATCH_DOCUMENTS):
            stop = min(start + BATCH_DOCUMENTS, len(X))
            batch = join_tokens(X[start:stop]) if joined else None
            if batch is None:  # the dict path, whose errors name the document
                batch = encode(X[start:stop], lookup, first_document=start)
            if len(pending) == workers:  # at most one batch ahead of each worker
                pending.pop(0).result()
            pending.append(pool.submit(pool_batch, start, stop, batch))
        for future in pending:
            future.result()
    return _finish(out, empty_rows, state)
