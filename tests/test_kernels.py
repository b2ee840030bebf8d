import numba
import numpy as np
import pytest
from scipy import stats

from skw2v import _kernels
from skw2v._corpus import EncodedCorpus
from skw2v._threads import numba_threads
from skw2v._training import TrainingParams, objective_tables, plan_work, train_epochs
from skw2v._vocab import Vocabulary, alias_table, keep_thresholds


def corpus_of(lengths, vocab_size=50, seed=0):
    rng = np.random.default_rng(seed)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    ids = rng.integers(0, vocab_size, size=indptr[-1]).astype(np.int32)
    return EncodedCorpus(ids=ids, indptr=indptr)


def test_plan_covers_every_token_once_and_splits_long_documents():
    corpus = corpus_of([3, 0, 25_001, 7, 10_000])
    plan = plan_work(corpus, max_segment=10_000, chunk_tokens=4_000)
    covered = np.zeros(corpus.n_tokens, dtype=int)
    for start, stop in zip(plan.seg_start, plan.seg_end):
        assert 0 < stop - start <= 10_000
        covered[start:stop] += 1
    assert (covered == 1).all()
    # the 25,001-token document becomes three segments, none crossing a document boundary
    doc_of = np.searchsorted(corpus.indptr, plan.seg_start, side="right") - 1
    assert np.all(plan.seg_end <= corpus.indptr[doc_of + 1])
    assert np.bincount(doc_of).tolist() == [1, 0, 3, 1, 1]
    assert plan.chunk_ptr[0] == 0 and plan.chunk_ptr[-1] == plan.seg_start.shape[0]
    assert np.all(np.diff(plan.chunk_ptr) > 0)


@numba.njit
def _draws(n, thresholds, aliases, seed):
    out = np.empty(n, dtype=np.int64)
    state = np.uint64(seed)
    n_noise = np.uint64(aliases.shape[0])
    for i in range(n):
        state, word = _kernels._draw_noise(state, n_noise, thresholds, aliases)
        out[i] = word
    return out


def test_kernel_noise_sampler_follows_the_unigram_power_distribution():
    counts = np.array([5000, 2000, 800, 300, 120, 50, 20, 8, 3, 1])
    thresholds, aliases = alias_table(counts, 0.75)
    draws = _draws(400_000, thresholds, aliases, 12345)
    observed = np.bincount(draws, minlength=counts.shape[0])
    expected = counts**0.75 / np.sum(counts**0.75) * draws.shape[0]
    assert stats.chisquare(observed, expected).pvalue > 1e-4


def _train(corpus, params, sample=1e-3, n_threads=1, seed=3, dim=16):
    """Train on word ids numbered by descending frequency (as the vocabulary numbers them)."""
    vocab_size = int(corpus.ids.max()) + 1
    counts = np.maximum(np.bincount(corpus.ids, minlength=vocab_size), 1)
    vocabulary = Vocabulary([str(w) for w in range(vocab_size)], counts)
    rng = np.random.default_rng(0)
    syn0 = ((rng.random((vocab_size, dim)) - 0.5) / dim).astype(np.float32)
    hierarchical = params.objective == "hierarchical_softmax"
    syn1 = np.zeros((vocab_size - 1 if hierarchical else vocab_size, dim), dtype=np.float32)
    keep = keep_thresholds(counts, sample)
    noise, huffman = objective_tables(vocabulary, {"objective": params.objective,
                                                   "ns_exponent": 0.75})  # fmt: skip
    seeds = np.arange(1, params.epochs + 1, dtype=np.uint64) * seed
    report = train_epochs(corpus, syn0, syn1, keep, noise, huffman, params, seeds, n_threads)
    return syn0, syn1, report


def training_params(**changes):
    params = dict(architecture="skipgram", objective="negative_sampling", window=3,
                  shrink_windows=True, negative=3, shared_negatives=True, alpha=0.025,
                  min_alpha=1e-4, epochs=2)  # fmt: skip
    params.update(changes)
    return TrainingParams(**params)


PARAMS = training_params()

MODES = [
    ("skipgram", "negative_sampling", True),
    ("skipgram", "negative_sampling", False),
    ("skipgram", "hierarchical_softmax", True),
    ("cbow", "negative_sampling", True),
    ("cbow", "hierarchical_softmax", True),
]


def test_without_subsampling_every_token_is_trained_each_epoch():
    corpus = corpus_of([40] * 100 + [12_000])
    _, _, report = _train(corpus, PARAMS, sample=0.0)
    assert report.effective_words == [corpus.n_tokens] * PARAMS.epochs


def test_subsampling_keeps_frequent_words_at_the_word2vec_rate():
    rng = np.random.default_rng(1)
    ids = np.where(rng.random(200_000) < 0.5, 0, rng.integers(1, 1000, 200_000)).astype(np.int32)
    corpus = EncodedCorpus(ids=ids, indptr=np.array([0, ids.shape[0]], dtype=np.int64))
    counts = np.bincount(ids)
    sample = 1e-3
    keep = np.minimum(np.sqrt(sample * ids.shape[0] / counts) + sample * ids.shape[0] / counts, 1)
    expected = float(np.sum(counts * keep))
    params = training_params(negative=1, epochs=1)
    _, _, report = _train(corpus, params, sample=sample)
    sd = np.sqrt(np.sum(counts * keep * (1 - keep)))
    assert abs(report.effective_words[0] - expected) < 5 * sd


@pytest.mark.parametrize("architecture, objective, shared", MODES)
def test_serial_and_single_thread_parallel_drivers_agree_bitwise(
    architecture, objective, shared, monkeypatch
):
    from skw2v import _training

    corpus = corpus_of([30] * 500)
    params = training_params(architecture=architecture, objective=objective,
                             shared_negatives=shared, window=4)  # fmt: skip
    serial = _train(corpus, params, sample=1e-2, n_threads=1)
    # the parallel driver on one thread runs the chunks in the same order
    monkeypatch.setattr(_training._kernels, "train_epoch_serial",
                        lambda *args: _kernels.train_epoch_parallel(*args, 1))  # fmt: skip
    parallel = _train(corpus, params, sample=1e-2, n_threads=1)
    assert np.array_equal(serial[0], parallel[0]) and np.array_equal(serial[1], parallel[1])
    assert serial[2].loss == parallel[2].loss
    assert np.abs(serial[1]).sum() > 0  # output vectors were trained


@pytest.mark.parametrize("architecture, objective, shared", MODES)
@pytest.mark.parametrize("n_threads", [1, 2])
def test_training_pulls_co_occurring_words_together(n_threads, architecture, objective, shared):
    # Two topics with disjoint words: documents draw only from one topic.
    rng = np.random.default_rng(0)
    docs = [rng.integers(0, 20, 12) + 20 * (i % 2) for i in range(4000)]
    ids = np.concatenate(docs).astype(np.int32)
    corpus = EncodedCorpus(ids=ids, indptr=np.arange(0, ids.shape[0] + 1, 12, dtype=np.int64))
    params = training_params(architecture=architecture, objective=objective, window=5,
                             negative=5, shared_negatives=shared, epochs=3)  # fmt: skip
    syn0, _, report = _train(corpus, params, sample=0.0, n_threads=n_threads)
    assert all(np.isfinite(report.loss))
    unit = syn0 / np.linalg.norm(syn0, axis=1, keepdims=True)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    topic = np.arange(40) // 20
    nearest = np.argsort(-sims, axis=1)[:, :10]
    purity = (topic[nearest] == topic[:, None]).mean()
    assert purity >= 0.95  # chance level is 19/39


@pytest.mark.parametrize("architecture, objective, shared", MODES)
def test_a_zero_learning_rate_scores_without_updating(architecture, objective, shared):
    # benchmarks/loss.py measures a fixed model's loss this way
    corpus = corpus_of([30] * 200)
    trained = training_params(architecture=architecture, objective=objective,
                              shared_negatives=shared)  # fmt: skip
    seen = []
    syn0, syn1, _ = _train(corpus, trained)
    before = syn0.copy(), syn1.copy()
    frozen = training_params(architecture=architecture, objective=objective,
                             shared_negatives=shared, alpha=0.0, min_alpha=0.0)  # fmt: skip
    counts = np.maximum(np.bincount(corpus.ids, minlength=syn0.shape[0]), 1)
    vocabulary = Vocabulary([str(w) for w in range(syn0.shape[0])], counts)
    noise, huffman = objective_tables(vocabulary, {"objective": objective, "ns_exponent": 0.75})
    report = train_epochs(corpus, syn0, syn1, np.full(syn0.shape[0], 1 << 32, np.uint64),
                          noise, huffman, frozen, np.array([5, 6], np.uint64), 1,
                          after_epoch=lambda a, b: seen.append((a is syn0, b is syn1)))  # fmt: skip
    assert np.array_equal(syn0, before[0]) and np.array_equal(syn1, before[1])
    assert all(loss > 0 and np.isfinite(loss) for loss in report.loss)
    assert seen == [(True, True), (True, True)]


def test_the_parallel_driver_trains_every_chunk_once():
    # Subsampling draws from each chunk's own stream, so the words a chunk keeps do not
    # depend on the thread that trains it: a chunk trained twice, or skipped, shows up.
    corpus = corpus_of([25] * 2_000)
    plan = plan_work(corpus, chunk_tokens=500)
    counts = np.bincount(corpus.ids)
    keep = keep_thresholds(counts, 1e-2)
    vocabulary = Vocabulary([str(w) for w in range(counts.shape[0])], counts)
    noise, huffman = objective_tables(vocabulary, {"objective": "negative_sampling",
                                                   "ns_exponent": 0.75})  # fmt: skip
    kept = {}
    for n_threads, kernel in [(1, _kernels.train_epoch_serial), (2, _kernels.train_epoch_parallel)]:
        syn0 = np.full((counts.shape[0], 8), 0.01, dtype=np.float32)
        n = plan.n_chunks
        out = (np.zeros(n, np.int64), np.zeros(n), np.full(n, -1, np.int64))
        with numba_threads(n_threads):
            kernel(corpus.ids, plan.seg_start, plan.seg_end, plan.chunk_ptr, syn0,
                   np.zeros_like(syn0), keep, noise[0], noise[1], huffman.codes, huffman.points,
                   huffman.lengths, 0, 0, 3, True, 3, True, True, 0.025, 1e-4, 0.0,
                   float(corpus.n_tokens), np.uint64(7), 0, *out,
                   *([] if n_threads == 1 else [n_threads]))  # fmt: skip
        kept[n_threads] = out[0]
        assert (out[2] > 0).all()  # every chunk trained
    assert plan.n_chunks >= 50
    np.testing.assert_array_equal(kept[1], kept[2])


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
def test_the_loss_is_the_mean_negative_log_likelihood_per_example(architecture):
    # Hierarchical softmax with a fixed window and nothing subsampled is deterministic, so
    # the loss of a frozen model (learning rate 0) can be recomputed here with numpy.
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 12, 300).astype(np.int32)
    corpus = EncodedCorpus(ids=ids, indptr=np.array([0, 120, 300], dtype=np.int64))
    counts = np.bincount(ids, minlength=12)
    vocabulary = Vocabulary([str(w) for w in range(12)], counts)
    noise, huffman = objective_tables(vocabulary, {"objective": "hierarchical_softmax"})
    syn0 = rng.normal(0, 0.5, (12, 6)).astype(np.float32)
    syn1 = rng.normal(0, 0.5, (11, 6)).astype(np.float32)
    params = training_params(architecture=architecture, objective="hierarchical_softmax",
                             window=2, shrink_windows=False, alpha=0.0, min_alpha=0.0,
                             epochs=1)  # fmt: skip
    keep_all = np.full(12, 1 << 32, np.uint64)
    report = train_epochs(corpus, syn0, syn1, keep_all, noise, huffman, params,
                          np.array([1], np.uint64), 1)  # fmt: skip

    def path_loss(source, word):
        n = huffman.lengths[word]
        scores = syn1[huffman.points[word, :n]].astype(np.float64) @ source
        signs = 1.0 - 2.0 * huffman.codes[word, :n]  # code 0: label 1
        return -np.sum(np.log(1.0 / (1.0 + np.exp(-signs * scores))))

    losses = []
    for start, stop in [(0, 120), (120, 300)]:
        doc = ids[start:stop]
        for i in range(len(doc)):
            context = [doc[j] for j in range(max(i - 2, 0), min(i + 3, len(doc))) if j != i]
            if architecture == "cbow":
                losses.append(path_loss(syn0[context].astype(np.float64).mean(axis=0), doc[i]))
            else:
                losses.extend(path_loss(syn0[c].astype(np.float64), doc[i]) for c in context)
    # the kernels read log-sigmoid from a 2,048-bin table over [-6, 6]
    np.testing.assert_allclose(report.loss[0], np.mean(losses), rtol=5e-3)
