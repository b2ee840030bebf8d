"""Run the training kernels over an encoded corpus: work plan, threads, epochs, progress."""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field

import numba
import numpy as np

from . import _kernels
from ._corpus import EncodedCorpus
from ._threads import numba_threads
from ._vocab import Vocabulary, alias_table, keep_thresholds


@dataclass(frozen=True)
class WorkPlan:
    """Segments (``seg_start``/``seg_end`` token offsets) grouped into chunks."""

    seg_start: np.ndarray
    seg_end: np.ndarray
    chunk_ptr: np.ndarray


def plan_work(
    corpus: EncodedCorpus,
    max_segment: int = _kernels.MAX_SEGMENT,
    chunk_tokens: int = _kernels.CHUNK_TOKENS,
) -> WorkPlan:
    """Split documents into segments of at most ``max_segment`` tokens, then chunk them.

    Empty documents may appear as empty segments; the kernels skip them.
    """
    starts = corpus.indptr[:-1]
    lengths = np.diff(corpus.indptr)
    if lengths.shape[0] == 0 or lengths.max() <= max_segment:
        # Every document is one segment: views, no copies (empty documents are no-ops).
        seg_start, seg_end = starts, corpus.indptr[1:]
    else:
        pieces = -(-lengths // max_segment)  # 0 for empty documents
        first_piece = np.repeat(np.cumsum(pieces) - pieces, pieces)
        piece_rank = np.arange(first_piece.shape[0], dtype=np.int64) - first_piece
        seg_start = np.repeat(starts, pieces) + piece_rank * max_segment
        seg_end = np.minimum(seg_start + max_segment, np.repeat(corpus.indptr[1:], pieces))
    chunk_of = (seg_start // chunk_tokens).astype(np.int64)
    boundaries = np.flatnonzero(np.diff(chunk_of)) + 1
    chunk_ptr = np.concatenate(([0], boundaries, [seg_start.shape[0]])).astype(np.int64)
    return WorkPlan(seg_start=seg_start, seg_end=seg_end, chunk_ptr=chunk_ptr)


@dataclass
class TrainingReport:
    """What training did: effective (kept) words and wall seconds per epoch."""

    effective_words: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class SGNSParams:
    window: int
    shrink_windows: bool
    negative: int
    shared_negatives: bool
    alpha: float
    min_alpha: float
    epochs: int


def train_sgns(
    corpus: EncodedCorpus,
    syn0: np.ndarray,
    syn1: np.ndarray,
    keep: np.ndarray,
    noise: tuple[np.ndarray, np.ndarray],
    params: SGNSParams,
    seeds: np.ndarray,
    n_threads: int,
    verbose: int = 0,
) -> TrainingReport:
    """Train ``syn0``/``syn1`` in place for ``params.epochs`` epochs (one seed per epoch)."""
    plan = plan_work(corpus)
    report = TrainingReport()
    total = float(params.epochs) * max(corpus.n_tokens, 1)
    kernel = _kernels.sgns_epoch_serial if n_threads == 1 else _kernels.sgns_epoch_parallel
    counts = np.zeros(plan.chunk_ptr.shape[0] - 1, dtype=np.int64)
    with numba_threads(n_threads), numba.parallel_chunksize(1):
        for epoch in range(params.epochs):
            tic = time.perf_counter()
            kernel(
                corpus.ids,
                plan.seg_start,
                plan.seg_end,
                plan.chunk_ptr,
                syn0,
                syn1,
                keep,
                noise[0],
                noise[1],
                params.window,
                params.shrink_windows,
                params.negative,
                params.shared_negatives,
                params.alpha,
                params.min_alpha,
                float(epoch) * corpus.n_tokens,
                total,
                np.uint64(seeds[epoch]),
                counts,
            )
            seconds = time.perf_counter() - tic
            report.effective_words.append(int(counts.sum()))
            report.seconds.append(seconds)
            if verbose:
                _progress_line(epoch, params.epochs, int(counts.sum()), corpus.n_tokens, seconds)
    return report


def _progress_line(epoch: int, epochs: int, effective: int, raw: int, seconds: float) -> None:
    rate = effective / seconds if seconds > 0 else float("inf")
    print(
        f"[skw2v] epoch {epoch + 1}/{epochs}: {raw:,} words, {effective:,} after subsampling, "
        f"{seconds:.2f} s, {rate:,.0f} effective words/s",
        file=sys.stderr,
        flush=True,
    )


def corpus_fingerprint(vocabulary: Vocabulary, corpus: EncodedCorpus) -> str:
    """SHA-256 of everything training sees: the vocabulary, its counts and the corpus."""
    digest = hashlib.sha256()
    digest.update("\n".join(vocabulary.words).encode("utf-8", "surrogatepass"))
    for array in (vocabulary.counts, corpus.ids, corpus.indptr):
        digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


def _uniform_rows(rng: np.random.RandomState, n_rows: int, dim: int) -> np.ndarray:
    """float32 rows uniform in +-0.5 / dim, drawn block-wise (no float64 full-size copy)."""
    out = np.empty((n_rows, dim), dtype=np.float32)
    block = max(1, (1 << 20) // dim)
    for start in range(0, n_rows, block):
        stop = min(start + block, n_rows)
        out[start:stop] = rng.uniform(-0.5 / dim, 0.5 / dim, size=(stop - start, dim))
    return out


def train_word_vectors(
    params: dict,
    fingerprint: str,
    *,
    vocabulary: Vocabulary,
    corpus: EncodedCorpus,
    n_threads: int,
    verbose: int,
) -> tuple[np.ndarray, list[int], float]:
    """Train input vectors from scratch; returns ``(vectors, effective words, seconds)``.

    The result depends only on ``params`` and on the corpus, which ``fingerprint``
    identifies, so a ``joblib.Memory`` can cache it on those two arguments alone (the
    others are then ignored; thread count only changes Hogwild noise).
    """
    from sklearn.utils import check_random_state

    rng = check_random_state(params["random_state"])
    dim = params["vector_size"]
    syn0 = _uniform_rows(rng, len(vocabulary), dim)
    syn1 = np.zeros_like(syn0)
    seeds = rng.randint(1, np.iinfo(np.int64).max, size=params["epochs"], dtype=np.int64)
    sgns = SGNSParams(
        window=params["window"],
        shrink_windows=bool(params["shrink_windows"]),
        negative=params["negative"],
        shared_negatives=bool(params["shared_negatives"]),
        alpha=float(params["alpha"]),
        min_alpha=float(params["min_alpha"]),
        epochs=params["epochs"],
    )
    report = train_sgns(
        corpus, syn0, syn1, keep_thresholds(vocabulary.counts, float(params["sample"])),
        alias_table(vocabulary.counts, float(params["ns_exponent"])), sgns,
        seeds.astype(np.uint64), n_threads, verbose,
    )  # fmt: skip
    if not np.isfinite(syn0).all():
        raise FloatingPointError(
            f"Training diverged (non-finite vectors) with alpha={params['alpha']}; use a "
            "smaller alpha (word2vec's default is 0.025)."
        )
    return syn0, report.effective_words, float(sum(report.seconds))
