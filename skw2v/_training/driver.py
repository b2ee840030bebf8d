"""The one training driver: work plan, kernel bundles, epochs, threads, loss, progress.

Every model trains through :func:`train_epochs`, which it tells what it is with a
:class:`ModelKind` (its chunk trainers, its architecture parameter, its job bundle):
word vectors through :func:`train_word_vectors`, paragraph vectors through
:func:`train_document_vectors`. The mode registries (:data:`ARCHITECTURES`,
:data:`DOCUMENT_MODES`, :data:`OBJECTIVES`) are what the estimators validate against and
what the kernels dispatch on.
"""

from __future__ import annotations

import hashlib
import mmap
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np

from .._io.fasttext_format import LOSS_HS, LOSS_NS, LOSS_OVA, LOSS_SOFTMAX
from .._kernels import cbow_groups
from .._kernels import classifier as class_kernels
from .._kernels import documents as doc_kernels
from .._kernels import words as word_kernels
from .._kernels.subwords import check_bucket_memory, subword_rows
from .corpus import EncodedCorpus
from .vocab import (
    HuffmanCodes,
    Vocabulary,
    alias_table,
    huffman_codes,
    keep_thresholds,
    two_queue_huffman_codes,
)

#: The kernel is called on slices of this many chunks (~2M tokens), which is how often
#: progress is reported. Seeds follow global chunk indices, so slicing never changes
#: results.
CHUNKS_PER_CALL = 1024


@dataclass(frozen=True)
class Objective:
    """What the code needs to know about an output objective.

    ``code`` is the kernels' constant; ``word_outputs``: one output vector per word (so
    ``vectors="input+output"`` and a growing vocabulary make sense), else one per inner
    node of the Huffman tree; ``uses_noise``: draws ``negative`` noise words;
    ``fasttext_loss``: its code in Facebook's ``.bin`` format.
    """

    code: int
    word_outputs: bool
    uses_noise: bool
    fasttext_loss: int  # Facebook fastText's ``loss`` code in a .bin file's arguments

    def output_rows(self, n_words: int) -> int:
        return n_words if self.word_outputs else max(n_words - 1, 1)

    @property
    def uses_tree(self) -> bool:
        """Walks the Huffman tree (hierarchical softmax)."""
        return self.code == word_kernels.HIERARCHICAL_SOFTMAX


#: Upper bounds of the sizes that reach kernel allocations (per-thread scratch grows with
#: window x (vector_size + negative)). A window beyond the longest segment changes nothing.
MAX_WINDOW = word_kernels.MAX_SEGMENT
MAX_NEGATIVE = 1_000
MAX_VECTOR_SIZE = 100_000
MAX_EPOCHS = 1_000_000
#: A thread's scratch may not exceed this many bytes.
MAX_SCRATCH_BYTES = 1 << 30
#: Trained vectors with a component beyond this have diverged (word2vec's stay near 1).
DIVERGED = 1e4

#: ``architecture`` parameter -> kernel constant.
ARCHITECTURES: dict[str, int] = {"skipgram": word_kernels.SKIPGRAM, "cbow": word_kernels.CBOW}
#: Paragraph vectors' ``mode`` parameter -> kernel constant.
DOCUMENT_MODES: dict[str, int] = {"dbow": doc_kernels.DBOW, "dm": doc_kernels.DM}
#: ``objective`` parameter -> what it is.
OBJECTIVES: dict[str, Objective] = {
    "negative_sampling": Objective(word_kernels.NEGATIVE_SAMPLING, word_outputs=True,
                                   uses_noise=True, fasttext_loss=LOSS_NS),
    "hierarchical_softmax": Objective(word_kernels.HIERARCHICAL_SOFTMAX, word_outputs=False,
                                      uses_noise=False, fasttext_loss=LOSS_HS),
}  # fmt: skip
#: The classifier's ``loss`` parameter -> what it is (an output row per label, or per
#: inner node of the Huffman tree of the labels).
LOSSES: dict[str, Objective] = {
    "softmax": Objective(class_kernels.SOFTMAX, word_outputs=True, uses_noise=False,
                         fasttext_loss=LOSS_SOFTMAX),
    "hierarchical_softmax": OBJECTIVES["hierarchical_softmax"],
    "negative_sampling": OBJECTIVES["negative_sampling"],
    "one_vs_all": Objective(class_kernels.ONE_VS_ALL, word_outputs=True, uses_noise=False,
                            fasttext_loss=LOSS_OVA),
}  # fmt: skip


@dataclass(frozen=True)
class ModelKind:
    """What a model tells the training driver: its chunk trainers, keyed by
    ``(architecture code, objective code, subwords)``; the parameter that names its
    architecture and the codes of its values; its job bundle, built from the word2vec
    :class:`word_kernels.Job` and the model's own per-document arrays (``extra``); the
    parameter that names its objective and their registry; and the longest segment it
    trains at once (the classifier never splits a document: one document, one example);
    and the boolean parameter, if any, that picks a kernel which trains a window as one
    block (word vectors: ``shared_negatives``; its key then ends with that value); and
    how it builds the Huffman tree of hierarchical softmax (gensim's for word and
    paragraph vectors, fastText's for the classifier's labels)."""

    trainers: Mapping[tuple, Callable]
    architecture_parameter: str
    architectures: Mapping[str, int]
    job: Callable[[word_kernels.Job, tuple], tuple]
    objective_parameter: str = "objective"
    objectives: Mapping[str, Objective] = field(default_factory=lambda: OBJECTIVES)
    max_segment: int = word_kernels.MAX_SEGMENT
    blocked_parameter: str | None = None
    huffman: Callable[[np.ndarray], HuffmanCodes] = huffman_codes

    def objective(self, params: Mapping) -> Objective:
        return self.objectives[params[self.objective_parameter]]

    def kernel(self, params: Mapping) -> Callable:
        """The compiled training kernel of ``params``' mode."""
        key = (self.architectures[params[self.architecture_parameter]],
               self.objective(params).code, bool(params.get("subwords")))  # fmt: skip
        if self.blocked_parameter is not None:
            key += (bool(params[self.blocked_parameter]),)
        return self.trainers[key]


#: Word vectors (word2vec, fastText subwords): the job is the word2vec job itself.
WORD_VECTORS = ModelKind({**word_kernels.TRAINERS, **cbow_groups.TRAINERS}, "architecture",
                         ARCHITECTURES,
                         lambda words, extra: words,
                         blocked_parameter="shared_negatives")  # fmt: skip
#: Paragraph vectors: the job adds the document vectors and each segment's document.
PARAGRAPH_VECTORS = ModelKind(doc_kernels.TRAINERS, "mode", DOCUMENT_MODES,
                              lambda words, extra: doc_kernels.DocJob(words, *extra))  # fmt: skip
#: The supervised classifier: the job adds each segment's document (one segment per
#: document), each document's labels and weight.
SUPERVISED = ModelKind(class_kernels.TRAINERS, "architecture",
                       {"supervised": class_kernels.SUPERVISED},
                       lambda words, extra: class_kernels.ClassJob(words, extra[1], *extra[0]),
                       objective_parameter="loss", objectives=LOSSES,
                       max_segment=int(np.iinfo(np.int64).max),
                       huffman=two_queue_huffman_codes)  # fmt: skip


def check_modes(params: Mapping) -> None:
    """Raise ``ValueError`` for a combination of training parameters that cannot train."""
    objective = OBJECTIVES[params["objective"]]
    if params["min_alpha"] > params["alpha"]:
        raise ValueError(
            f"min_alpha={params['min_alpha']} is larger than alpha={params['alpha']}; the "
            "learning rate decays from alpha to min_alpha, so pass min_alpha <= alpha."
        )
    negative = params["negative"] if objective.uses_noise else 0
    if scratch_bytes(params["window"], negative, params["vector_size"]) > MAX_SCRATCH_BYTES:
        raise ValueError(
            f"window={params['window']} with vector_size={params['vector_size']} and "
            f"negative={negative} needs more than {MAX_SCRATCH_BYTES >> 20} MiB of work space "
            "per thread; use a smaller window or vector_size."
        )
    if objective.uses_noise and params["negative"] < 1:
        raise ValueError(
            f"negative={params['negative']} leaves objective={params['objective']!r} without "
            "noise words; pass negative >= 1, or objective='hierarchical_softmax'."
        )
    subwords = params.get("subwords")
    if subwords is not None:
        check_subwords(subwords)
        if params.get("vectors") == "input+output":
            raise ValueError(
                "vectors='input+output' is not defined for subword vectors (unseen words "
                "have no output vector); use vectors='input' with subwords."
            )
    if not objective.word_outputs and params.get("vectors") == "input+output":
        raise ValueError(
            "vectors='input+output' needs one output vector per word, which "
            f"objective={params['objective']!r} does not have; use vectors='input', or "
            "objective='negative_sampling'."
        )


def check_subwords(subwords: object) -> None:
    """Raise ``ValueError`` unless ``subwords`` is None or ``(min_n, max_n)``."""
    if subwords is not None and not (
        isinstance(subwords, tuple) and len(subwords) == 2
        and all(isinstance(n, Integral) and not isinstance(n, bool) for n in subwords)
        and 1 <= subwords[0] <= subwords[1]
    ):  # fmt: skip
        raise ValueError(
            f"subwords={subwords!r} must be None or a tuple (min_n, max_n) of integers "
            "with 1 <= min_n <= max_n, such as (3, 6) (fastText's default)."
        )


@dataclass(frozen=True)
class WorkPlan:
    """Segments (``seg_start``/``seg_end`` token offsets) grouped into chunks; with
    ``documents``, ``seg_doc`` is each segment's document (else a placeholder)."""

    seg_start: np.ndarray
    seg_end: np.ndarray
    chunk_ptr: np.ndarray
    seg_doc: np.ndarray

    @property
    def n_chunks(self) -> int:
        return self.chunk_ptr.shape[0] - 1


def _overlapping(array: np.ndarray, size: int = 1 << 20):
    """``(offset, array[offset : offset + size + 1])`` blocks that overlap by one element,
    so that differences of neighbours are seen exactly once."""
    for first in range(0, max(array.shape[0] - 1, 1), size):
        yield first, array[first : first + size + 1]


def plan_work(
    corpus: EncodedCorpus,
    max_segment: int = word_kernels.MAX_SEGMENT,
    chunk_tokens: int = word_kernels.CHUNK_TOKENS,
    documents: bool = False,
) -> WorkPlan:
    """Split documents into segments of at most ``max_segment`` tokens, then chunk them.

    Empty documents may appear as empty segments; the kernels skip them. ``documents``
    also maps each segment to its document (paragraph vectors need it; word2vec does not
    pay for it).
    """
    indptr = corpus.indptr
    longest = max((int(np.diff(block).max(initial=0)) for _, block in _overlapping(indptr)),
                  default=0)  # fmt: skip
    if longest <= max_segment:
        # Every document is one segment: views, no copies (empty documents are no-ops).
        seg_start, seg_end = indptr[:-1], indptr[1:]
        pieces = None
    else:
        starts = indptr[:-1]
        lengths = np.diff(indptr)
        pieces = -(-lengths // max_segment)  # 0 for empty documents
        first_piece = np.repeat(np.cumsum(pieces) - pieces, pieces)
        piece_rank = np.arange(first_piece.shape[0], dtype=np.int64) - first_piece
        seg_start = np.repeat(starts, pieces) + piece_rank * max_segment
        seg_end = np.minimum(seg_start + max_segment, np.repeat(indptr[1:], pieces))
    # chunk boundaries: where seg_start // chunk_tokens changes (block by block)
    boundaries = [np.zeros(1, dtype=np.int64)]
    for first, block in _overlapping(seg_start):
        boundaries.append(np.flatnonzero(np.diff(block // chunk_tokens)) + 1 + first)
    boundaries.append(np.array([seg_start.shape[0]], dtype=np.int64))
    chunk_ptr = np.concatenate(boundaries).astype(np.int64)
    seg_doc = np.zeros(1, dtype=np.int64)
    if documents:
        seg_doc = np.arange(corpus.n_documents, dtype=np.int64)
        if pieces is not None:
            seg_doc = np.repeat(seg_doc, pieces)
    return WorkPlan(seg_start=seg_start, seg_end=seg_end, chunk_ptr=chunk_ptr, seg_doc=seg_doc)


@dataclass
class TrainingReport:
    """Per epoch: effective (kept) words, wall seconds, mean loss per trained example."""

    effective_words: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)


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


def sampling_tables(
    vocabulary: Vocabulary,
    params: Mapping,
    objective: Objective | None = None,
    huffman_tree: Callable[[np.ndarray], HuffmanCodes] = huffman_codes,
) -> word_kernels.Tables:
    """Subsampling thresholds, the noise alias table (negative sampling) or the Huffman
    codes (hierarchical softmax, built by ``huffman_tree``), and with ``subwords`` each
    word's input rows; one-entry placeholders for the unused. ``objective`` defaults to
    ``params["objective"]``'s."""
    objective = objective or OBJECTIVES[params["objective"]]
    keep = keep_thresholds(vocabulary.counts, float(params["sample"]))
    if objective.uses_noise:
        noise = alias_table(vocabulary.counts, float(params["ns_exponent"]))
        huffman = HuffmanCodes(np.zeros((1, 1), np.uint8), np.zeros((1, 1), np.int32),
                               np.zeros(1, np.int32))  # fmt: skip
    else:
        noise = (np.ones(1, np.uint64) << np.uint64(32), np.zeros(1, np.int32))
        huffman = huffman_tree(vocabulary.counts)
    subwords = params.get("subwords")
    if subwords:
        sub_ptr, sub_rows = subword_rows(vocabulary.words, subwords[0], subwords[1],
                                         int(params["buckets"]))  # fmt: skip
    else:
        sub_ptr, sub_rows = np.zeros(2, np.int64), np.zeros(1, np.int32)
    return word_kernels.Tables(keep, noise[0], noise[1], huffman.codes, huffman.points,
                           huffman.lengths, sub_ptr, sub_rows)  # fmt: skip


def kernel_config(
    params: Mapping, n_segments: int, objective: Objective | None = None
) -> word_kernels.Config:
    """The kernels' scalars from the training parameters (the one place that maps them).

    The learning rate decays over ``epochs * n_segments`` segments (documents, or pieces
    of long ones), as gensim's decays over sentences.

    The per-call fields (``progress_offset``, ``seed``, ``first_chunk``) start at zero.
    ``negative`` is 0 for an objective without noise words, so nothing is allocated for
    them.
    """
    objective = objective or OBJECTIVES[params["objective"]]
    return word_kernels.Config(
        window=int(params["window"]),
        shrink_windows=bool(params["shrink_windows"]),
        negative=int(params["negative"]) if objective.uses_noise else 0,
        shared_negatives=bool(params["shared_negatives"]),
        train_words=bool(params.get("train_words", False)),
        with_loss=bool(params["compute_loss"]),
        alpha=float(params["alpha"]),
        min_alpha=float(params["min_alpha"]),
        progress_offset=0.0,
        progress_total=float(params["epochs"]) * max(n_segments, 1),
        seed=np.uint64(0),
        first_chunk=0,
    )


def run_threads(kernel: Callable, job, n_threads: int, executor=None) -> None:
    """Run ``kernel(job)`` on the caller's thread, or on ``n_threads`` threads of
    ``executor`` sharing ``job.next_chunk``; on any error or interrupt, tell the other
    threads to stop after their current chunk, then re-raise."""
    if n_threads <= 1 or executor is None:
        kernel(job)
        return
    futures = [executor.submit(kernel, job) for _ in range(n_threads)]
    try:
        for future in futures:
            future.result()
    except BaseException:  # KeyboardInterrupt too: the threads stop after their chunk
        job.next_chunk[0] = np.iinfo(np.int64).max // 2
        raise


class _KernelRunner:
    """Runs a model's training kernel (:meth:`ModelKind.kernel`) on slices of the work
    plan, on one thread (the caller's) or on ``n_threads`` threads that share one chunk
    counter. ``documents`` are the model's own trained rows for its job bundle
    (paragraph vectors: the document vectors and the document of each segment)."""

    def __init__(self, params: Mapping, n_threads: int, kind: ModelKind = WORD_VECTORS) -> None:
        self.kind = kind
        self.kernel = kind.kernel(params)
        self.n_threads = n_threads
        self.executor = ThreadPoolExecutor(n_threads) if n_threads > 1 else None

    def run(
        self, corpus: word_kernels.Corpus, model, tables, config, stats, documents=None
    ) -> None:
        counter = np.zeros(1, dtype=np.int64)
        words = word_kernels.Job(corpus, model, tables, config, stats, counter)
        job = self.kind.job(words, documents)
        run_threads(self.kernel, job, self.n_threads, self.executor)

    def prepare(self, corpus, model, tables, config, stats, verbose: int, documents=None) -> None:
        """Compile the kernel (or load it from the disk cache) with a call that trains
        nothing, so that compilation is never billed to an epoch; say so when it is slow."""
        dispatcher = self.kernel
        known = len(dispatcher.signatures)
        hits = sum(dispatcher.stats.cache_hits.values())
        notice = threading.Timer(1.0, _say, ("compiling the training kernel, first run only…",))
        if verbose:
            notice.start()
        tic = time.perf_counter()
        try:
            self.run(corpus._replace(chunk_ptr=corpus.chunk_ptr[:1]), model, tables, config, stats,
                     documents)  # fmt: skip
        finally:
            notice.cancel()
        compiled = (len(dispatcher.signatures) > known
                    and sum(dispatcher.stats.cache_hits.values()) == hits)  # fmt: skip
        if verbose and compiled:
            _say(f"compiled the training kernel in {time.perf_counter() - tic:.2f} s (cached on "
                 "disk for later runs)")  # fmt: skip

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown()


def _say(message: str) -> None:
    print(f"[skw2v] {message}", file=sys.stderr, flush=True)


def train_epochs(
    corpus: EncodedCorpus,
    model: word_kernels.Model,
    tables: word_kernels.Tables,
    params: Mapping,
    seeds: np.ndarray,
    n_threads: int,
    verbose: int = 0,
    after_epoch: Callable[[np.ndarray, np.ndarray], None] | None = None,
    docs: np.ndarray | None = None,
    kind: ModelKind = WORD_VECTORS,
) -> TrainingReport:
    """Train ``model`` in place for ``params["epochs"]`` epochs (one seed per epoch): the
    driver of every model, which ``kind`` describes.

    ``params`` holds the estimator's training parameters (see :func:`kernel_config`);
    ``compute_loss=False`` skips the loss (reported as 0). ``after_epoch(syn0, syn1)`` is
    called after every epoch, outside the timed part. ``docs`` are the model's own
    per-document arrays for its job bundle: paragraph vectors' document vectors (one row
    per document of ``corpus``, trained in place too), the classifier's labels.
    """
    plan = plan_work(corpus, kind.max_segment, documents=docs is not None)
    documents = None if docs is None else (docs, plan.seg_doc)
    bundle = word_kernels.Corpus(corpus.ids, plan.seg_start, plan.seg_end, plan.chunk_ptr)
    n_segments = int(plan.seg_start.shape[0])
    base = kernel_config(params, n_segments, kind.objective(params))
    with_loss = base.with_loss
    epochs = int(params["epochs"])
    report = TrainingReport()
    stats = word_kernels.Stats(np.zeros(plan.n_chunks, dtype=np.int64),
                           np.zeros(plan.n_chunks, dtype=np.float64),
                           np.zeros(plan.n_chunks, dtype=np.int64))  # fmt: skip
    runner = _KernelRunner(params, n_threads, kind)
    progress = None
    try:
        runner.prepare(bundle, model, tables, base, stats, verbose, documents)
        progress = _Progress(corpus.n_tokens, epochs, verbose, with_loss)
        for epoch in range(epochs):
            tic = time.perf_counter()
            for first in range(0, plan.n_chunks, CHUNKS_PER_CALL):
                last = min(first + CHUNKS_PER_CALL, plan.n_chunks)
                config = base._replace(progress_offset=float(epoch) * n_segments,
                                       seed=np.uint64(seeds[epoch]), first_chunk=first)  # fmt: skip
                part = bundle._replace(chunk_ptr=plan.chunk_ptr[first : last + 1])
                runner.run(part, model, tables, config,
                           word_kernels.Stats(*(array[first:last] for array in stats)),
                           documents)  # fmt: skip
                first_token = plan.seg_start[plan.chunk_ptr[first]]
                words = int(plan.seg_end[plan.chunk_ptr[last] - 1] - first_token)
                done = max(int(stats.examples[:last].sum()), 1)
                running = float(stats.losses[:last].sum()) / done if with_loss else None
                progress.advance(words, epoch, running)
            report.seconds.append(time.perf_counter() - tic)
            report.effective_words.append(int(stats.effective_words.sum()))
            report.loss.append(float(stats.losses.sum()) / max(int(stats.examples.sum()), 1))
            progress.epoch_done(epoch, report, corpus.n_tokens)
            if after_epoch is not None:
                after_epoch(model.syn0, model.syn1)
    finally:
        runner.close()
        if progress is not None:
            progress.close()
    return report


def corpus_fingerprint(vocabulary: Vocabulary, corpus: EncodedCorpus) -> str:
    """SHA-256 of everything training sees: the vocabulary, its counts and the corpus."""
    digest = hashlib.sha256()
    digest.update("\n".join(vocabulary.words).encode("utf-8", "surrogatepass"))
    for array in (vocabulary.counts, corpus.ids, corpus.indptr):
        digest.update(np.ascontiguousarray(array).data)
    return digest.hexdigest()


#: Input vectors start uniform in +-INIT_RANGE / vector_size: gensim's range (word2vec.c
#: uses 0.5). On the first 200,000 lines of the benchmark corpus it gives per-pair
#: training gensim's analogy accuracy (0.1072 vs 0.1031 with 0.5, means of 4 seeds;
#: benchmarks/gensim_gap.py); see docs/benchmarks.md.
INIT_RANGE = 1.0


def uniform_rows(rng: np.random.RandomState, n_rows: int, dim: int) -> np.ndarray:
    """float32 rows uniform in +-INIT_RANGE / dim, drawn block-wise (no float64 full-size
    copy)."""
    out = np.empty((n_rows, dim), dtype=np.float32)
    block = max(1, (1 << 20) // dim)
    for start in range(0, n_rows, block):
        stop = min(start + block, n_rows)
        out[start:stop] = rng.uniform(-INIT_RANGE / dim, INIT_RANGE / dim, size=(stop - start, dim))
    return out


@dataclass
class TrainedVectors:
    """What training produces: input and output matrices, the report, and with paragraph
    vectors the document vectors."""

    syn0: np.ndarray
    syn1: np.ndarray
    report: TrainingReport
    docs: np.ndarray | None = None


def train_word_vectors(
    params: Mapping,
    fingerprint: str,
    *,
    vocabulary: Vocabulary,
    corpus: EncodedCorpus,
    n_threads: int,
    verbose: int,
    initial: TrainedVectors | None = None,
    after_epoch: Callable[[np.ndarray, np.ndarray], None] | None = None,
) -> TrainedVectors:
    """Initialise, train and check input and output vectors: every fit's one path.

    ``params`` are the estimator's training parameters. From scratch (``initial=None``)
    the result depends only on ``params`` and on the corpus, which ``fingerprint``
    identifies, so a ``joblib.Memory`` can cache it on those two arguments alone (the
    others are then ignored; the thread count only changes Hogwild noise). With
    ``initial`` (incremental training), its rows are kept and the vocabulary's further
    words get new rows, initialised like fresh ones. ``after_epoch(syn0, syn1)`` is called
    after every epoch (benchmarks use it).
    """
    from sklearn.utils import check_random_state

    rng = check_random_state(params["random_state"])
    dim = int(params["vector_size"])
    objective = OBJECTIVES[params["objective"]]
    n_words = len(vocabulary)
    buckets = input_rows(params, 0)
    if buckets:
        check_bucket_memory(buckets, dim, n_words)
    if initial is None:
        syn0 = empty_matrix(n_words + buckets, dim)
        syn0[:n_words] = uniform_rows(rng, n_words, dim)
        if buckets:
            word_kernels.fill_uniform(syn0[n_words:], rng.randint(1, 2**31), INIT_RANGE / dim)
        syn1 = np.zeros((objective.output_rows(n_words), dim), dtype=np.float32)
    else:
        # new words' rows go after the known words' rows, before the n-gram buckets
        known = initial.syn0.shape[0] - buckets
        fresh = uniform_rows(rng, n_words - known, dim)
        syn0 = np.concatenate([initial.syn0[:known], fresh, initial.syn0[known:]])
        syn1 = np.concatenate([initial.syn1, np.zeros((objective.output_rows(n_words)
                               - initial.syn1.shape[0], dim), dtype=np.float32)])  # fmt: skip
    report = _train_checked(WORD_VECTORS, params, vocabulary, corpus, rng, (syn0, syn1),
                            n_threads, verbose, after_epoch=after_epoch)  # fmt: skip
    return TrainedVectors(syn0, syn1, report)


def _train_checked(
    kind: ModelKind,
    params: Mapping,
    vocabulary: Vocabulary,
    corpus: EncodedCorpus,
    rng: np.random.RandomState,
    model: tuple[np.ndarray, np.ndarray],
    n_threads: int,
    verbose: int,
    docs: np.ndarray | tuple | None = None,
    after_epoch: Callable | None = None,
) -> TrainingReport:
    """Every model's training once its rows are initialised: one seed per epoch from
    ``rng``, the sampling tables (``vocabulary``'s counts: of words, or of the
    classifier's labels), :func:`train_epochs`, and the divergence check of every trained
    matrix."""
    syn0, syn1 = model
    seeds = rng.randint(1, np.iinfo(np.int64).max, size=params["epochs"], dtype=np.int64)
    tables = sampling_tables(vocabulary, params, kind.objective(params), kind.huffman)
    report = train_epochs(
        corpus, word_kernels.Model(syn0, syn1), tables, params, seeds.astype(np.uint64),
        n_threads, verbose, after_epoch=after_epoch, docs=docs, kind=kind,
    )  # fmt: skip
    trained = [syn0, syn1] + ([docs] if isinstance(docs, np.ndarray) else [])
    for matrix in trained:
        check_finite(matrix, params["alpha"])
    return report


def trains_words(params: Mapping) -> bool:
    """Whether paragraph vectors with these parameters train word vectors (PV-DM always;
    PV-DBOW with ``train_words``)."""
    return params["mode"] == "dm" or bool(params["train_words"])


def train_document_vectors(
    params: Mapping,
    fingerprint: str,
    *,
    vocabulary: Vocabulary,
    corpus: EncodedCorpus,
    n_threads: int,
    verbose: int,
) -> TrainedVectors:
    """Initialise, train and check paragraph vectors (``Doc2VecTransformer``'s fit).

    Word input vectors (only when words are trained, else a one-row placeholder) and then
    document vectors start uniform in +-INIT_RANGE / vector_size (gensim's start), output
    vectors at zero; a document without vocabulary words keeps a zero vector (as
    inference gives it). The result depends only on ``params`` and on the corpus, which
    ``fingerprint`` identifies (a ``joblib.Memory`` key), as for word vectors.
    """
    from sklearn.utils import check_random_state

    rng = check_random_state(params["random_state"])
    dim = int(params["vector_size"])
    n_words = len(vocabulary)
    if trains_words(params):
        syn0 = uniform_rows(rng, n_words, dim)
    else:
        syn0 = np.zeros((1, dim), dtype=np.float32)
    docs = uniform_rows(rng, corpus.n_documents, dim)
    syn1 = np.zeros((OBJECTIVES[params["objective"]].output_rows(n_words), dim), np.float32)
    report = _train_checked(PARAGRAPH_VECTORS, params, vocabulary, corpus, rng, (syn0, syn1),
                            n_threads, verbose, docs=docs)  # fmt: skip
    docs[np.diff(corpus.indptr) == 0] = 0.0  # never trained
    return TrainedVectors(syn0, syn1, report, docs)


#: Matrices of more bytes than this are asked to live on huge pages (see empty_matrix).
HUGE_PAGE_BYTES = 1 << 26


def empty_matrix(rows: int, dim: int) -> np.ndarray:
    """An uninitialised float32 matrix; a large one on transparent huge pages where the
    system allows it (``madvise``), so that random row access during training (the n-gram
    buckets) misses the TLB less."""
    nbytes = rows * dim * 4
    advise = getattr(mmap, "MADV_HUGEPAGE", None)
    if nbytes < HUGE_PAGE_BYTES or advise is None:
        return np.empty((rows, dim), dtype=np.float32)
    memory = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        memory.madvise(advise)
    except OSError:
        pass
    return np.frombuffer(memory, dtype=np.float32).reshape(rows, dim)


def input_rows(params: Mapping, n_words: int) -> int:
    """Rows of the input matrix: one per word, plus ``buckets`` with ``subwords``."""
    return n_words + (int(params["buckets"]) if params.get("subwords") else 0)


class TrainingDivergedError(FloatingPointError, ValueError):
    """Training diverged (non-finite or huge vectors): the learning rate is too large."""


def scratch_bytes(window: int, negative: int, vector_size: int) -> int:
    """Bytes of one thread's :class:`word_kernels.Scratch` (see ``word_kernels._scratch``)
    and, at most, of its CBOW groups (``cbow_groups.Groups``)."""
    inputs = max(2 * window, 1)
    floats = (1 + 1 + inputs + negative + 1) * vector_size + inputs * (negative + 1)
    members = cbow_groups.CBOW_STRIDE * cbow_groups.CBOW_GROUP
    group_floats = (members + 2 * cbow_groups.CBOW_GROUP + negative) * vector_size
    group_words = members * inputs + cbow_groups.CBOW_STRIDE * negative
    return 4 * (floats + word_kernels.MAX_SEGMENT + negative + 1 + group_floats + group_words)


def check_finite(vectors: np.ndarray, alpha: float, stage: str = "Training") -> None:
    """Raise :class:`TrainingDivergedError` for a non-finite or huge value trained by
    ``stage`` (training, or paragraph vectors' inference)."""
    if vectors.size == 0:
        return
    # two reductions instead of np.abs(vectors).max(): no model-sized temporary; NaN wins
    largest = max(abs(float(vectors.max())), abs(float(vectors.min())))
    if not np.isfinite(largest) or largest > DIVERGED:
        problem = "non-finite vectors" if not np.isfinite(largest) else f"a value of {largest:.3g}"
        raise TrainingDivergedError(
            f"{stage} diverged ({problem}) with alpha={alpha}; use a smaller alpha "
            "(word2vec's default is 0.025)."
        )


@dataclass(frozen=True)
class ClassifierData:
    """What the classifier trains on: each document's input rows (``corpus``), its
    labels as CSR (``label_ptr``, ``labels``: output rows in fastText's label order) and
    weight, and the count of each label (in that order)."""

    corpus: EncodedCorpus
    label_ptr: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    label_counts: np.ndarray


def train_classifier(
    params: Mapping,
    *,
    data: ClassifierData,
    n_words: int,
    n_rows: int,
    pretrained: tuple[np.ndarray, np.ndarray] | None,
    n_threads: int,
    verbose: int,
) -> TrainedVectors:
    """Initialise, train and check a supervised classifier (``FastTextClassifier``).

    ``params`` holds the classifier's parameters (``loss``, ``vector_size``, ``alpha``,
    ``epochs``, ``negative``, ``compute_loss``, ``random_state``). Input rows (``n_words``
    word rows, then bucket rows up to ``n_rows``) start uniform in +-1 / vector_size, as
    fastText's do, except the rows ``pretrained[0]``, which start at ``pretrained[1]``;
    label rows start at zero. The learning rate decays linearly to zero over all epochs,
    by documents.
    """
    from sklearn.utils import check_random_state

    rng = check_random_state(params["random_state"])
    dim = int(params["vector_size"])
    loss = LOSSES[params["loss"]]
    n_labels = data.label_counts.shape[0]
    check_bucket_memory(n_rows - n_words, dim, n_words)
    syn0 = empty_matrix(n_rows, dim)
    syn0[:n_words] = uniform_rows(rng, n_words, dim)
    if n_rows > n_words:
        word_kernels.fill_uniform(syn0[n_words:], rng.randint(1, 2**31), INIT_RANGE / dim)
    if pretrained is not None:
        syn0[pretrained[0]] = pretrained[1]
    syn1 = np.zeros((loss.output_rows(n_labels), dim), dtype=np.float32)
    kernel_params = {
        "architecture": "supervised", "loss": params["loss"], "window": 1,
        "shrink_windows": False, "negative": int(params["negative"]), "shared_negatives": False,
        "compute_loss": bool(params["compute_loss"]), "alpha": float(params["alpha"]),
        "min_alpha": 0.0, "epochs": int(params["epochs"]), "sample": 0.0,
        "ns_exponent": 0.5,  # fastText draws noise labels by count ** 0.5
    }  # fmt: skip
    labels = Vocabulary(words=[str(i) for i in range(n_labels)], counts=data.label_counts)
    extra = (data.label_ptr, data.labels, data.weights, n_threads > 1)
    report = _train_checked(SUPERVISED, kernel_params, labels, data.corpus, rng, (syn0, syn1),
                            n_threads, verbose, docs=extra)  # fmt: skip
    return TrainedVectors(syn0, syn1, report)
