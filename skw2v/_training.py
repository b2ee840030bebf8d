"""Run the training kernels over an encoded corpus: work plan, epochs, loss, progress."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import _kernels
from ._corpus import EncodedCorpus
from ._threads import numba_threads
from ._vocab import HuffmanCodes, Vocabulary, alias_table, huffman_codes, keep_thresholds

#: The kernel is called on slices of this many chunks (~2M tokens), which is how often
#: progress is reported. Seeds follow global chunk indices, so slicing never changes
#: results.
CHUNKS_PER_CALL = 1024

ARCHITECTURES = {"skipgram": _kernels.SKIPGRAM, "cbow": _kernels.CBOW}
OBJECTIVES = {
    "negative_sampling": _kernels.NEGATIVE_SAMPLING,
    "hierarchical_softmax": _kernels.HIERARCHICAL_SOFTMAX,
}


@dataclass(frozen=True)
class WorkPlan:
    """Segments (``seg_start``/``seg_end`` token offsets) grouped into chunks."""

    seg_start: np.ndarray
    seg_end: np.ndarray
    chunk_ptr: np.ndarray

    @property
    def n_chunks(self) -> int:
        return self.chunk_ptr.shape[0] - 1


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
    """Per epoch: effective (kept) words, wall seconds, mean loss per trained example."""

    effective_words: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class TrainingParams:
    architecture: str
    objective: str
    window: int
    shrink_windows: bool
    negative: int
    shared_negatives: bool
    alpha: float
    min_alpha: float
    epochs: int


class _Progress:
    """A tqdm bar on stderr when tqdm is installed, else one plain line per epoch."""

    def __init__(self, total_words: int, epochs: int, verbose: int, with_loss: bool) -> None:
        self.verbose = verbose
        self.with_loss = with_loss
        self.epochs = epochs
        self.bar = None
        if verbose:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                return
            self.bar = tqdm(total=total_words * epochs, unit="word", unit_scale=True,
                            desc="skw2v", file=sys.stderr, leave=True)  # fmt: skip

    def advance(self, words: int, epoch: int, loss: float | None) -> None:
        if self.bar is not None:
            postfix = {"epoch": f"{epoch + 1}/{self.epochs}"}
            if loss is not None:
                postfix["loss"] = f"{loss:.4f}"
            self.bar.set_postfix(postfix)
            self.bar.update(words)

    def epoch_done(self, epoch: int, report: TrainingReport, raw_words: int) -> None:
        if not self.verbose or self.bar is not None:
            return
        seconds = report.seconds[-1]
        rate = report.effective_words[-1] / seconds if seconds > 0 else float("inf")
        print(
            f"[skw2v] epoch {epoch + 1}/{self.epochs}: {raw_words:,} words, "
            f"{report.effective_words[-1]:,} after subsampling, {seconds:.2f} s, "
            f"{rate:,.0f} effective words/s"
            + (f", loss {report.loss[-1]:.4f}" if self.with_loss else ""),
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def train_epochs(
    corpus: EncodedCorpus,
    syn0: np.ndarray,
    syn1: np.ndarray,
    keep: np.ndarray,
    noise: tuple[np.ndarray, np.ndarray],
    huffman: HuffmanCodes,
    params: TrainingParams,
    seeds: np.ndarray,
    n_threads: int,
    verbose: int = 0,
    with_loss: bool = True,
    after_epoch: Callable[[np.ndarray, np.ndarray], None] | None = None,
) -> TrainingReport:
    """Train ``syn0``/``syn1`` in place for ``params.epochs`` epochs (one seed per epoch).

    ``with_loss=False`` skips the loss (reported as 0). ``after_epoch(syn0, syn1)`` is
    called after every epoch, outside the timed part.
    """
    plan = plan_work(corpus)
    report = TrainingReport()
    total = float(params.epochs) * max(corpus.n_tokens, 1)
    kernel = _kernels.train_epoch_serial if n_threads == 1 else _kernels.train_epoch_parallel
    threads = () if n_threads == 1 else (n_threads,)
    kept = np.zeros(plan.n_chunks, dtype=np.int64)
    losses = np.zeros(plan.n_chunks, dtype=np.float64)
    examples = np.zeros(plan.n_chunks, dtype=np.int64)
    progress = _Progress(corpus.n_tokens, params.epochs, verbose, with_loss)
    try:
        with numba_threads(n_threads):
            for epoch in range(params.epochs):
                tic = time.perf_counter()
                for first in range(0, plan.n_chunks, CHUNKS_PER_CALL):
                    last = min(first + CHUNKS_PER_CALL, plan.n_chunks)
                    kernel(
                        corpus.ids, plan.seg_start, plan.seg_end, plan.chunk_ptr[first : last + 1],
                        syn0, syn1, keep, noise[0], noise[1], huffman.codes, huffman.points,
                        huffman.lengths, ARCHITECTURES[params.architecture],
                        OBJECTIVES[params.objective], params.window, params.shrink_windows,
                        params.negative, params.shared_negatives, with_loss, params.alpha,
                        params.min_alpha,
                        float(epoch) * corpus.n_tokens, total, np.uint64(seeds[epoch]), first,
                        kept[first:last], losses[first:last], examples[first:last],
                        *threads,
                    )  # fmt: skip
                    first_token = plan.seg_start[plan.chunk_ptr[first]]
                    words = int(plan.seg_end[plan.chunk_ptr[last] - 1] - first_token)
                    done = max(int(examples[:last].sum()), 1)
                    running = float(losses[:last].sum()) / done if with_loss else None
                    progress.advance(words, epoch, running)
                report.seconds.append(time.perf_counter() - tic)
                report.effective_words.append(int(kept.sum()))
                report.loss.append(float(losses.sum()) / max(int(examples.sum()), 1))
                progress.epoch_done(epoch, report, corpus.n_tokens)
                if after_epoch is not None:
                    after_epoch(syn0, syn1)
    finally:
        progress.close()
    return report


def corpus_fingerprint(vocabulary: Vocabulary, corpus: EncodedCorpus) -> str:
    """SHA-256 of everything training sees: the vocabulary, its counts and the corpus."""
    digest = hashlib.sha256()
    digest.update("\n".join(vocabulary.words).encode("utf-8", "surrogatepass"))
    for array in (vocabulary.counts, corpus.ids, corpus.indptr):
        digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


def uniform_rows(rng: np.random.RandomState, n_rows: int, dim: int) -> np.ndarray:
    """float32 rows uniform in +-0.5 / dim, drawn block-wise (no float64 full-size copy)."""
    out = np.empty((n_rows, dim), dtype=np.float32)
    block = max(1, (1 << 20) // dim)
    for start in range(0, n_rows, block):
        stop = min(start + block, n_rows)
        out[start:stop] = rng.uniform(-0.5 / dim, 0.5 / dim, size=(stop - start, dim))
    return out


@dataclass
class TrainedVectors:
    """What training produces: input and output matrices and the report."""

    syn0: np.ndarray
    syn1: np.ndarray
    report: TrainingReport


def objective_tables(vocabulary: Vocabulary, params: dict):
    """Noise alias table (negative sampling) or Huffman codes (hierarchical softmax), with
    a one-entry placeholder for the one not used."""
    if params["objective"] == "hierarchical_softmax":
        placeholder = (np.ones(1, np.uint64) << np.uint64(32), np.zeros(1, np.int32))
        return placeholder, huffman_codes(vocabulary.counts)
    empty = HuffmanCodes(np.zeros((1, 1), np.uint8), np.zeros((1, 1), np.int32),
                         np.zeros(1, np.int32))  # fmt: skip
    return alias_table(vocabulary.counts, float(params["ns_exponent"])), empty


def train_word_vectors(
    params: dict,
    fingerprint: str,
    *,
    vocabulary: Vocabulary,
    corpus: EncodedCorpus,
    n_threads: int,
    verbose: int,
    after_epoch: Callable[[np.ndarray, np.ndarray], None] | None = None,
) -> TrainedVectors:
    """Train input and output vectors from scratch.

    The result depends only on ``params`` and on the corpus, which ``fingerprint``
    identifies, so a ``joblib.Memory`` can cache it on those two arguments alone (the
    others are then ignored; the thread count only changes Hogwild noise).
    ``after_epoch(syn0, syn1)`` is called after every epoch (benchmarks use it).
    """
    from sklearn.utils import check_random_state

    rng = check_random_state(params["random_state"])
    syn0 = uniform_rows(rng, len(vocabulary), params["vector_size"])
    hierarchical = params["objective"] == "hierarchical_softmax"
    syn1 = np.zeros((max(len(vocabulary) - 1, 1) if hierarchical else len(vocabulary),
                     params["vector_size"]), dtype=np.float32)  # fmt: skip
    seeds = rng.randint(1, np.iinfo(np.int64).max, size=params["epochs"], dtype=np.int64)
    noise, huffman = objective_tables(vocabulary, params)
    report = train_epochs(
        corpus, syn0, syn1, keep_thresholds(vocabulary.counts, float(params["sample"])), noise,
        huffman, training_params(params), seeds.astype(np.uint64), n_threads, verbose,
        with_loss=bool(params["compute_loss"]), after_epoch=after_epoch,
    )  # fmt: skip
    check_finite(syn0, params["alpha"])
    return TrainedVectors(syn0, syn1, report)


def training_params(params: dict) -> TrainingParams:
    return TrainingParams(
        architecture=params["architecture"],
        objective=params["objective"],
        window=params["window"],
        shrink_windows=bool(params["shrink_windows"]),
        negative=params["negative"],
        shared_negatives=bool(params["shared_negatives"]),
        alpha=float(params["alpha"]),
        min_alpha=float(params["min_alpha"]),
        epochs=params["epochs"],
    )


def check_finite(vectors: np.ndarray, alpha: float) -> None:
    if not np.isfinite(vectors).all():
        raise FloatingPointError(
            f"Training diverged (non-finite vectors) with alpha={alpha}; use a smaller alpha "
            "(word2vec's default is 0.025)."
        )
