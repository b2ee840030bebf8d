import numba
import numpy as np
import pytest
from scipy import stats

from skw2v import Word2VecTransformer
from skw2v._kernels import cbow_groups
from skw2v._kernels import words as _kernels
from skw2v._training import driver as _training
from skw2v._training.corpus import EncodedCorpus
from skw2v._training.driver import plan_work, sampling_tables, train_epochs
from skw2v._training.vocab import Vocabulary, alias_table


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
    tables = _kernels.Tables(thresholds, thresholds, aliases, np.zeros((1, 1), np.uint8),
                             np.zeros((1, 1), np.int32), np.zeros(1, np.int32),
                             np.zeros(2, np.int64), np.zeros(1, np.int32))  # fmt: skip
    for i in range(n):
        state, word = _kernels._draw_noise(state, tables)
        out[i] = word
    return out


def test_kernel_noise_sampler_follows_the_unigram_power_distribution():
    counts = np.array([5000, 2000, 800, 300, 120, 50, 20, 8, 3, 1])
    thresholds, aliases = alias_table(counts, 0.75)
    draws = _draws(400_000, thresholds, aliases, 12345)
    observed = np.bincount(draws, minlength=counts.shape[0])
    expected = counts**0.75 / np.sum(counts**0.75) * draws.shape[0]
    assert stats.chisquare(observed, expected).pvalue > 1e-4


def vocabulary_of(corpus):
    """Word ids numbered by descending frequency, as the vocabulary numbers them."""
    vocab_size = int(corpus.ids.max()) + 1
    counts = np.maximum(np.bincount(corpus.ids, minlength=vocab_size), 1)
    return Vocabulary([str(w) for w in range(vocab_size)], counts)


def _train(corpus, params, n_threads=1, seed=3, after_epoch=None):
    vocabulary = vocabulary_of(corpus)
    rng = np.random.default_rng(0)
    dim = params["vector_size"]
    syn0 = ((rng.random((len(vocabulary), dim)) - 0.5) / dim).astype(np.float32)
    rows = _training.OBJECTIVES[params["objective"]].output_rows(len(vocabulary))
    syn1 = np.zeros((rows, dim), dtype=np.float32)
    seeds = np.arange(1, params["epochs"] + 1, dtype=np.uint64) * seed
    report = train_epochs(corpus, _kernels.Model(syn0, syn1), sampling_tables(vocabulary, params),
                          params, seeds, n_threads, after_epoch=after_epoch)  # fmt: skip
    return syn0, syn1, report


def training_params(**changes):
    """The training parameters of a transformer (its defaults, except these)."""
    params = dict(vector_size=16, window=3, negative=3, epochs=2, sample=1e-3)
    params.update(changes)
    return Word2VecTransformer(**params)._training_parameters()


PARAMS = training_params()

MODES = [
    ("skipgram", "negative_sampling", True),
    ("skipgram", "negative_sampling", False),
    ("skipgram", "hierarchical_softmax", True),
    ("skipgram", "hierarchical_softmax", False),
    ("cbow", "negative_sampling", True),
    ("cbow", "negative_sampling", False),
    ("cbow", "hierarchical_softmax", True),
]


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
def test_without_subsampling_every_token_is_trained_each_epoch(architecture):
    corpus = corpus_of([40] * 100 + [12_000])
    _, _, report = _train(corpus, training_params(sample=0.0, architecture=architecture))
    assert report.effective_words == [corpus.n_tokens] * PARAMS["epochs"]


def test_subsampling_keeps_frequent_words_at_the_word2vec_rate():
    rng = np.random.default_rng(1)
    ids = np.where(rng.random(200_000) < 0.5, 0, rng.integers(1, 1000, 200_000)).astype(np.int32)
    corpus = EncodedCorpus(ids=ids, indptr=np.array([0, ids.shape[0]], dtype=np.int64))
    counts = np.bincount(ids)
    sample = 1e-3
    keep = np.minimum(np.sqrt(sample * ids.shape[0] / counts) + sample * ids.shape[0] / counts, 1)
    expected = float(np.sum(counts * keep))
    params = training_params(negative=1, epochs=1, sample=sample)
    _, _, report = _train(corpus, params)
    sd = np.sqrt(np.sum(counts * keep * (1 - keep)))
    assert abs(report.effective_words[0] - expected) < 5 * sd


def test_blocked_hierarchical_softmax_is_the_per_pair_loop_up_to_rounding():
    # The blocked window trains the path rows in the thread's scratch, pair by pair in
    # word2vec.c's order, and adds their change to the matrix when the window ends: one
    # thread trains what the per-pair loop trains, but for float rounding (the change is
    # added as one difference). A different update order would part them by a
    # first-order amount: with the rows as they were before the window, the two differed
    # by 0.0012 and 0.040 of the training at these rates.
    corpus = corpus_of([30] * 300)
    for alpha in (1e-3, 1e-2):
        params = training_params(objective="hierarchical_softmax", negative=0, window=4,
                                 sample=0.0, alpha=alpha, min_alpha=alpha, epochs=1)  # fmt: skip
        blocked = _train(corpus, dict(params, shared_negatives=True))
        pairs = _train(corpus, dict(params, shared_negatives=False))
        assert blocked[2].effective_words == pairs[2].effective_words
        step = np.abs(pairs[1]).sum()  # output rows start at zero: all of this is training
        assert step > 0
        # measured: 1.9e-6 and 3.9e-6 of the training; input rows within 7.5e-6
        assert np.abs(blocked[1] - pairs[1]).sum() / step < 1e-4
        assert np.abs(blocked[0] - pairs[0]).max() < 1e-4
        assert blocked[2].loss == pytest.approx(pairs[2].loss, rel=1e-6)


@pytest.mark.parametrize("architecture, objective, shared", MODES)
def test_how_an_epoch_is_split_into_kernel_calls_never_changes_the_result(
    architecture, objective, shared, monkeypatch
):
    corpus = corpus_of([30] * 500)
    params = training_params(architecture=architecture, objective=objective,
                             shared_negatives=shared, window=4, sample=1e-2)  # fmt: skip
    whole = _train(corpus, params)
    monkeypatch.setattr(_training, "CHUNKS_PER_CALL", 2)
    assert plan_work(corpus).n_chunks > 2
    sliced = _train(corpus, params)
    assert np.array_equal(whole[0], sliced[0]) and np.array_equal(whole[1], sliced[1])
    assert whole[2].loss == sliced[2].loss
    assert np.abs(whole[1]).sum() > 0  # output vectors were trained


@pytest.mark.parametrize("architecture, objective, shared", MODES)
@pytest.mark.parametrize("n_threads", [1, 2])
def test_training_pulls_co_occurring_words_together(n_threads, architecture, objective, shared):
    # Two topics with disjoint words: documents draw only from one topic.
    rng = np.random.default_rng(0)
    docs = [rng.integers(0, 20, 12) + 20 * (i % 2) for i in range(4000)]
    ids = np.concatenate(docs).astype(np.int32)
    corpus = EncodedCorpus(ids=ids, indptr=np.arange(0, ids.shape[0] + 1, 12, dtype=np.int64))
    params = training_params(architecture=architecture, objective=objective, window=5,
                             negative=5, shared_negatives=shared, epochs=3,
                             sample=0.0)  # fmt: skip
    syn0, _, report = _train(corpus, params, n_threads=n_threads)
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
    syn0, syn1, _ = _train(corpus, trained)
    before = syn0.copy(), syn1.copy()
    frozen = {**trained, "alpha": 0.0, "min_alpha": 0.0, "sample": 0.0}
    seen = []
    report = train_epochs(corpus, _kernels.Model(syn0, syn1),
                          sampling_tables(vocabulary_of(corpus), frozen), frozen,
                          np.array([5, 6], np.uint64), 1,
                          after_epoch=lambda a, b: seen.append((a is syn0, b is syn1)))  # fmt: skip
    assert np.array_equal(syn0, before[0]) and np.array_equal(syn1, before[1])
    assert all(loss > 0 and np.isfinite(loss) for loss in report.loss)
    assert seen == [(True, True), (True, True)]


def test_threads_train_every_chunk_exactly_once():
    # Subsampling draws from each chunk's own stream, so the words a chunk keeps do not
    # depend on the thread that trains it: a chunk trained twice, or skipped, shows up.
    corpus = corpus_of([25] * 2_000)
    plan = plan_work(corpus, chunk_tokens=500)
    bundle = _kernels.Corpus(corpus.ids, plan.seg_start, plan.seg_end, plan.chunk_ptr)
    params = training_params(sample=1e-2, vector_size=8)
    tables = sampling_tables(vocabulary_of(corpus), params)
    config = _training.kernel_config(params, corpus.n_tokens)._replace(seed=np.uint64(7))
    kept = {}
    for n_threads in (1, 2):
        syn0 = np.full((tables.keep.shape[0], 8), 0.01, dtype=np.float32)
        n = plan.n_chunks
        stats = _kernels.Stats(np.zeros(n, np.int64), np.zeros(n), np.full(n, -1, np.int64))
        runner = _training._KernelRunner(params, n_threads)
        runner.run(bundle, _kernels.Model(syn0, np.zeros_like(syn0)), tables, config, stats)
        runner.close()
        kept[n_threads] = stats.effective_words
        assert (stats.examples > 0).all()  # every chunk trained
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
    syn0 = rng.normal(0, 0.5, (12, 6)).astype(np.float32)
    syn1 = rng.normal(0, 0.5, (11, 6)).astype(np.float32)
    params = training_params(architecture=architecture, objective="hierarchical_softmax",
                             window=2, shrink_windows=False, alpha=0.0, min_alpha=0.0,
                             epochs=1, sample=0.0, vector_size=6)  # fmt: skip
    tables = sampling_tables(vocabulary, params)
    report = train_epochs(corpus, _kernels.Model(syn0, syn1), tables, params,
                          np.array([1], np.uint64), 1)  # fmt: skip

    def path_loss(source, word):
        n = tables.lengths[word]
        scores = syn1[tables.points[word, :n]].astype(np.float64) @ source
        signs = 1.0 - 2.0 * tables.codes[word, :n]  # code 0: label 1
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


def test_input_vectors_start_uniform_in_gensims_range(kjv_docs):
    # gensim's +-1/d (word2vec.c's is +-0.5/d); see _training.INIT_RANGE
    dim = 16
    rows = _training.uniform_rows(np.random.RandomState(0), 4000, dim)
    assert rows.dtype == np.float32
    scaled = rows.ravel().astype(np.float64) * dim
    assert stats.kstest(scaled, stats.uniform(-1.0, 2.0).cdf).pvalue > 1e-3
    # A fit whose learning rate is negligible keeps its starting vectors.
    docs, _ = kjv_docs
    frozen = Word2VecTransformer(vector_size=dim, min_count=5, epochs=1, alpha=1e-12,
                                 min_alpha=0.0, n_jobs=1, random_state=0)  # fmt: skip
    wv = frozen.fit(docs[:500]).wv_
    largest = np.abs(wv.vectors).max() * dim
    assert 0.95 < largest <= 1.0 + 1e-6


@pytest.mark.parametrize("shared", [True, False])
def test_cbow_trains_every_centre_of_every_chunk_once(shared):
    # Grouped CBOW holds centres in open groups and trains a group when it is full or
    # when the chunk ends: a centre dropped or trained twice changes the count.
    corpus = corpus_of([1, 25, 2, 7] * 300)
    plan = plan_work(corpus, chunk_tokens=301)
    bundle = _kernels.Corpus(corpus.ids, plan.seg_start, plan.seg_end, plan.chunk_ptr)
    params = training_params(sample=0.0, vector_size=8, architecture="cbow",
                             shared_negatives=shared)  # fmt: skip
    tables = sampling_tables(vocabulary_of(corpus), params)
    config = _training.kernel_config(params, corpus.n_tokens)._replace(seed=np.uint64(7))
    n = plan.n_chunks
    stats = _kernels.Stats(np.zeros(n, np.int64), np.zeros(n), np.full(n, -1, np.int64))
    syn0 = np.full((tables.keep.shape[0], 8), 0.01, dtype=np.float32)
    runner = _training._KernelRunner(params, 1)
    runner.run(bundle, _kernels.Model(syn0, np.zeros_like(syn0)), tables, config, stats)
    runner.close()
    lengths = plan.seg_end - plan.seg_start
    windows = np.where(lengths > 1, lengths, 0)  # a one-word segment has no context
    expected = [windows[a:b].sum() for a, b in zip(plan.chunk_ptr[:-1], plan.chunk_ptr[1:])]
    assert n > 10
    np.testing.assert_array_equal(stats.examples, expected)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _gensim_gradient(score, label, lr):
    """gensim's negative-sampling gradient: sigmoid(-6 + 12 i / 1000) at the table index
    i = int((score + 6) * 83) (its integer-arithmetic scale), nothing beyond +-6."""
    if not -6 < score < 6:
        return 0.0
    return (label - _sigmoid(-6 + 0.012 * int((score + 6) * 83))) * lr


def test_cbow_reads_gensims_sigmoid():
    from skw2v._kernels.words import _gensim_gradient as kernel_gradient

    gradient = numba.njit(lambda f, label, lr: kernel_gradient(f, label, lr))
    for score in [-7.0, -6.0, -5.99, -3.3, -0.01, 0.0, 0.004, 0.5, 2.71, 5.99, 6.0, 9.0, np.nan]:
        for label in (0.0, 1.0):
            got = gradient(np.float32(score), np.float32(label), np.float32(0.025))
            expected = 0.0 if np.isnan(score) else _gensim_gradient(score, label, 0.025)
            assert got == pytest.approx(expected, abs=1e-8), (score, label)
    # the integer scale reads the table lower than the exact sigmoid: 1000 / 6 / 2 = 83
    assert gradient(np.float32(2.0), np.float32(1.0), np.float32(1.0)) > 1 - _sigmoid(2.0) + 0.003


def test_a_cbow_group_is_the_shared_noise_update_of_its_members():
    # One group, its arithmetic recomputed with numpy from the rows before the group:
    # each member's hidden vector scores its centre and the group's noise words (not a
    # noise word that is its own centre); the output rows receive the gradients summed
    # over the members; each context row receives its member's whole error.
    rng = np.random.default_rng(1)
    vocab, dim, negative, group = 12, 7, 5, cbow_groups.CBOW_GROUP
    stride = 2
    syn0 = rng.normal(0, 0.3, (vocab, dim)).astype(np.float32)
    syn1 = rng.normal(0, 0.3, (vocab, dim)).astype(np.float32)
    hidden = rng.normal(0, 0.9, (stride, group, dim)).astype(np.float32)
    context = rng.integers(0, vocab, (stride, group, 4)).astype(np.int32)
    context[1, 0, :2] = context[1, -1, :2] = 3  # a word in two members' windows, twice each
    n_context = np.full((stride, group), 4, np.int64)
    n_context[1, 1] = 2
    centres = rng.integers(0, vocab, (stride, group)).astype(np.int32)
    centres[1, :2] = 5  # two members with the same centre word
    rates = rng.uniform(0.01, 0.05, (stride, group)).astype(np.float32)
    noise = np.zeros((stride, negative), np.int32)
    noise[1] = [5, 8, 8, 2, centres[1, 2]]  # repeated; members' centres
    # member 3 scores noise word 8 beyond 6: no update from it (gensim's rule), where
    # word2vec.c's would apply the whole gradient
    centres[1, 3] = 7
    hidden[1, 3] = syn1[8] * (40 * n_context[1, 3] / (syn1[8] @ syn1[8]))
    size = np.array([0, group], np.int64)
    outputs = np.empty((group + negative, dim), np.float32)
    errors = np.empty((group, dim), np.float32)
    grads = np.empty((group, negative + 1), np.float32)
    syn0_before = syn0.astype(np.float64)
    before = syn1.astype(np.float64)
    expected0 = syn0_before.copy()
    expected1 = before.copy()
    expected_loss = 0.0
    for b in range(group):
        h = hidden[1, b].astype(np.float64) / n_context[1, b]  # the kernel keeps sums
        centre, lr = centres[1, b], float(rates[1, b])
        score = h @ before[centre]
        saturated = [abs(score) >= 6]
        error = _gensim_gradient(score, 1.0, lr) * before[centre]
        expected1[centre] += _gensim_gradient(score, 1.0, lr) * h
        expected_loss -= np.log(_sigmoid(score))
        for word in noise[1]:
            if word == centre:
                continue
            score = h @ before[word]
            saturated.append(abs(score) >= 6)
            error += _gensim_gradient(score, 0.0, lr) * before[word]
            expected1[word] += _gensim_gradient(score, 0.0, lr) * h
            expected_loss -= np.log(_sigmoid(-score))
        assert any(saturated) == (b == 3)  # only where it was made to
        for word in context[1, b, : n_context[1, b]]:
            expected0[word] += error
    loss = cbow_groups.train_group(1, hidden, context, n_context, centres, rates, noise, size,
                                   outputs, errors, grads, syn0, syn1, negative,
                                   True)  # fmt: skip
    assert size[1] == 0  # the group is empty again
    np.testing.assert_allclose(syn0, expected0, atol=1e-5)
    np.testing.assert_allclose(syn1, expected1, atol=1e-5)
    # the updates are far above that tolerance
    assert np.abs(expected0 - syn0_before).max() > 2e-2
    assert np.abs(expected1 - before).max() > 2e-2
    assert loss == pytest.approx(expected_loss, rel=5e-3)
