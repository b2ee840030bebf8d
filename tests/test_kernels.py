import numba
import numpy as np
import pytest
from scipy import stats

from skw2v import _kernels
from skw2v._corpus import EncodedCorpus
from skw2v._training import SGNSParams, plan_work, train_sgns
from skw2v._vocab import alias_table, keep_thresholds


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


def _train(corpus, params, sample=1e-3, n_threads=1, seed=3, dim=16, vocab_size=None):
    vocab_size = vocab_size or int(corpus.ids.max()) + 1
    counts = np.bincount(corpus.ids, minlength=vocab_size)
    rng = np.random.default_rng(0)
    syn0 = ((rng.random((vocab_size, dim)) - 0.5) / dim).astype(np.float32)
    syn1 = np.zeros_like(syn0)
    keep = keep_thresholds(counts, sample)
    noise = alias_table(np.maximum(counts, 1), 0.75)
    seeds = np.arange(1, params.epochs + 1, dtype=np.uint64) * seed
    report = train_sgns(corpus, syn0, syn1, keep, noise, params, seeds, n_threads)
    return syn0, syn1, report


def sgns_params(**changes):
    params = dict(window=3, shrink_windows=True, negative=3, shared_negatives=True, alpha=0.025,
                  min_alpha=1e-4, epochs=2)  # fmt: skip
    params.update(changes)
    return SGNSParams(**params)


PARAMS = sgns_params()


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
    params = sgns_params(negative=1, epochs=1)
    _, _, report = _train(corpus, params, sample=sample)
    sd = np.sqrt(np.sum(counts * keep * (1 - keep)))
    assert abs(report.effective_words[0] - expected) < 5 * sd


@pytest.mark.parametrize("shared", [False, True])
def test_serial_and_single_thread_parallel_drivers_agree_bitwise(shared):
    corpus = corpus_of([30] * 500)
    plan = plan_work(corpus, chunk_tokens=1000)
    counts = np.bincount(corpus.ids)
    results = []
    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    for kernel in (_kernels.sgns_epoch_serial, _kernels.sgns_epoch_parallel):
        syn0 = np.full((counts.shape[0], 8), 0.01, dtype=np.float32)
        syn0[:, ::2] = -0.02
        syn1 = np.zeros_like(syn0)
        thresholds, aliases = alias_table(counts, 0.75)
        kernel(corpus.ids, plan.seg_start, plan.seg_end, plan.chunk_ptr, syn0, syn1,
               keep_thresholds(counts, 1e-2), thresholds, aliases, 4, True, 2, shared, 0.05, 1e-4,
               0.0, float(corpus.n_tokens), np.uint64(99),
               np.zeros(plan.chunk_ptr.shape[0] - 1, np.int64))  # fmt: skip
        results.append(syn0)
    numba.set_num_threads(previous)
    assert np.array_equal(results[0], results[1])
    assert not np.allclose(results[0], 0.01)


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("n_threads", [1, 2])
def test_training_pulls_co_occurring_words_together(n_threads, shared):
    # Two topics with disjoint words: documents draw only from one topic.
    rng = np.random.default_rng(0)
    docs = [rng.integers(0, 20, 12) + 20 * (i % 2) for i in range(4000)]
    ids = np.concatenate(docs).astype(np.int32)
    corpus = EncodedCorpus(ids=ids, indptr=np.arange(0, ids.shape[0] + 1, 12, dtype=np.int64))
    params = sgns_params(window=5, negative=5, shared_negatives=shared, epochs=3)
    syn0, _, _ = _train(corpus, params, sample=0.0, n_threads=n_threads)
    unit = syn0 / np.linalg.norm(syn0, axis=1, keepdims=True)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    topic = np.arange(40) // 20
    nearest = np.argsort(-sims, axis=1)[:, :10]
    purity = (topic[nearest] == topic[:, None]).mean()
    assert purity >= 0.95  # chance level is 19/39
