import copy
import hashlib
import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from skw2v import Word2VecTransformer, WordVectors

SMALL = dict(vector_size=16, min_count=1, epochs=2, n_jobs=1, random_state=0)


def test_fit_learns_vocabulary_in_descending_frequency(kjv_docs):
    docs, _ = kjv_docs
    model = Word2VecTransformer(vector_size=16, min_count=3, epochs=1, n_jobs=1, random_state=0)
    assert model.fit(docs) is model
    wv = model.wv_
    assert isinstance(wv, WordVectors)
    assert wv.vectors.dtype == np.float32 and wv.vectors.shape == (len(wv), 16)
    assert np.all(np.diff(wv.counts) <= 0) and wv.counts.min() >= 3
    assert wv.index_to_key[0] == "and"
    assert model.vocabulary_ == wv.key_to_index
    assert model.n_training_words_ == int(wv.counts.sum())
    assert 0 < model.effective_words_[0] < model.n_training_words_  # subsampling at work


def test_transform_is_the_mean_of_known_word_vectors(fitted):
    wv = fitted.wv_
    docs = [["god", "said", "unknownword"], ["unknownword"], [], ["jesus"]]
    X = fitted.transform(docs)
    assert X.dtype == np.float32 and X.shape == (4, 32)
    np.testing.assert_allclose(X[0], (wv["god"] + wv["said"]) / 2, rtol=1e-6)
    assert not X[1].any() and not X[2].any()
    np.testing.assert_array_equal(X[3], wv["jesus"])


def test_fit_transform_equals_fit_then_transform(kjv_docs):
    docs, _ = kjv_docs
    a = Word2VecTransformer(**SMALL).fit_transform(docs[:300])
    b = Word2VecTransformer(**SMALL).fit(docs[:300]).transform(docs[:300])
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "options",
    [dict(pooling="tfidf"), dict(pooling="sif", normalize=True), dict(pooling="max"),
     dict(vectors="input+output", empty="nan"), dict(analyzer=str.split)],
)  # fmt: skip
def test_fit_transform_pools_the_training_corpus_like_transform(kjv_docs, options):
    docs, _ = kjv_docs
    docs = [*docs[:300], ["zzzunknown"], []]
    if "analyzer" in options:
        docs = [" ".join(doc) for doc in docs]
    a = Word2VecTransformer(**SMALL, **options).fit_transform(iter(docs))
    b = Word2VecTransformer(**SMALL, **options).fit(docs).transform(docs)
    np.testing.assert_array_equal(a, b)
    assert a.shape[0] == len(docs)


def test_one_shot_generator_is_accepted(kjv_docs):
    docs, _ = kjv_docs
    from_list = Word2VecTransformer(**SMALL).fit(docs[:200])
    from_generator = Word2VecTransformer(**SMALL).fit(doc for doc in docs[:200])
    np.testing.assert_array_equal(from_list.wv_.vectors, from_generator.wv_.vectors)


def test_fit_transform_of_a_one_shot_generator_transforms_every_document(kjv_docs):
    docs, _ = kjv_docs
    X = Word2VecTransformer(**SMALL).fit_transform(doc for doc in docs[:200])
    np.testing.assert_array_equal(X, Word2VecTransformer(**SMALL).fit_transform(docs[:200]))


def test_long_documents_are_not_truncated():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(50)]
    long_doc = [words[i] for i in rng.integers(0, 50, 25_000)]
    model = Word2VecTransformer(vector_size=8, min_count=1, epochs=1, sample=0, n_jobs=1,
                                random_state=0).fit([long_doc, ["tail", "end"]])  # fmt: skip
    assert model.n_training_words_ == 25_002
    assert model.effective_words_ == [25_002]
    assert int(model.wv_.counts.sum()) == 25_002


def test_input_is_not_modified(kjv_docs):
    docs, _ = kjv_docs
    docs = [list(d) for d in docs[:100]] + [("a", "tuple"), np.array(["an", "array"])]
    before = copy.deepcopy(docs)
    model = Word2VecTransformer(**SMALL).fit(docs)
    model.transform(docs)
    assert all(np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(docs, before))
    assert len(docs) == len(before)


def _digest(model):
    return hashlib.sha256(
        model.wv_.vectors.tobytes() + "\n".join(model.wv_.index_to_key).encode()
    ).hexdigest()


def test_single_thread_fits_are_bitwise_reproducible(kjv_docs):
    docs, _ = kjv_docs
    params = dict(vector_size=24, min_count=2, epochs=2, n_jobs=1, random_state=42)
    assert _digest(Word2VecTransformer(**params).fit(docs)) == _digest(
        Word2VecTransformer(**params).fit(docs)
    )
    other_seed = Word2VecTransformer(**{**params, "random_state": 43}).fit(docs)
    assert _digest(other_seed) != _digest(Word2VecTransformer(**params).fit(docs))


def test_reproducible_across_processes_and_hash_seeds(kjv_docs):
    script = textwrap.dedent(
        """
        import hashlib
        from skw2v import Word2VecTransformer
        from skw2v.datasets import load_kjv
        kjv = load_kjv()
        docs = [d for d, b in zip(kjv.data, kjv.book) if b in ("Genesis", "Matthew")]
        m = Word2VecTransformer(vector_size=24, min_count=2, epochs=2, n_jobs=1,
                                random_state=42).fit(docs)
        print(hashlib.sha256(m.wv_.vectors.tobytes()
                             + "\\n".join(m.wv_.index_to_key).encode()).hexdigest())
        """
    )
    digests = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                             text=True, check=True, timeout=300)  # fmt: skip
        digests.append(out.stdout.strip())
    docs, _ = kjv_docs
    here = Word2VecTransformer(vector_size=24, min_count=2, epochs=2, n_jobs=1, random_state=42)
    assert digests[0] == digests[1] == _digest(here.fit(docs))


def test_two_threads_learn_as_well_as_one(kjv_docs):
    docs, _ = kjv_docs
    params = dict(vector_size=32, min_count=3, epochs=3, random_state=0)
    one = Word2VecTransformer(n_jobs=1, **params).fit(docs).wv_
    two = Word2VecTransformer(n_jobs=2, **params).fit(docs).wv_
    # same vocabulary; neighbours of frequent words overlap strongly
    assert one.index_to_key == two.index_to_key
    overlap = [
        len(
            {w for w, _ in one.most_similar(q, topn=10)}
            & {w for w, _ in two.most_similar(q, topn=10)}
        )
        for q in ("god", "father", "land", "son", "jesus")
    ]
    assert np.mean(overlap) >= 3


def test_n_jobs_restores_numba_thread_count(kjv_docs):
    import numba

    docs, _ = kjv_docs
    before = numba.get_num_threads()
    Word2VecTransformer(vector_size=8, min_count=1, epochs=1, n_jobs=2).fit(docs[:50])
    assert numba.get_num_threads() == before
    with pytest.raises(ValueError):
        Word2VecTransformer(n_jobs=2, min_count=10**9).fit(docs[:50])
    assert numba.get_num_threads() == before


def test_per_pair_negatives_learn_too(kjv_docs):
    docs, _ = kjv_docs
    params = dict(vector_size=32, min_count=3, epochs=3, n_jobs=1, random_state=0)
    shared = Word2VecTransformer(**params).fit(docs).wv_
    per_pair = Word2VecTransformer(**params, shared_negatives=False).fit(docs).wv_
    assert not np.array_equal(shared.vectors, per_pair.vectors)
    overlap = [
        len({w for w, _ in shared.most_similar(q, topn=10)}
            & {w for w, _ in per_pair.most_similar(q, topn=10)})
        for q in ("god", "father", "land", "son", "jesus")
    ]  # fmt: skip
    assert np.mean(overlap) >= 3


def test_shrink_windows_changes_training(kjv_docs):
    docs, _ = kjv_docs
    a = Word2VecTransformer(**SMALL).fit(docs[:300]).wv_.vectors
    b = Word2VecTransformer(**SMALL, shrink_windows=False).fit(docs[:300]).wv_.vectors
    assert not np.array_equal(a, b)


def test_diverging_training_raises_instead_of_returning_nan(kjv_docs):
    docs, _ = kjv_docs
    with pytest.raises(FloatingPointError, match="smaller alpha"):
        Word2VecTransformer(vector_size=8, min_count=1, epochs=1, alpha=1e30, n_jobs=1,
                            random_state=0).fit(docs[:200])  # fmt: skip


def test_verbose_reports_progress_on_stderr_and_silent_by_default(kjv_docs, capsys, monkeypatch):
    docs, _ = kjv_docs
    Word2VecTransformer(**SMALL).fit(docs[:100])
    assert capsys.readouterr() == ("", "")
    Word2VecTransformer(**SMALL, verbose=1, compute_loss=True).fit(docs[:100])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "vocabulary:" in captured.err
    if importlib.util.find_spec("tqdm") is not None:
        assert "epoch=2/2" in captured.err and "loss=" in captured.err  # the tqdm bar
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # tqdm missing: plain lines
    Word2VecTransformer(**SMALL, verbose=1, compute_loss=True).fit(docs[:100])
    err = capsys.readouterr().err
    assert "epoch 1/2" in err and "epoch 2/2" in err and "loss " in err


@pytest.mark.parametrize(
    "X, error, match",
    [
        ("just a string", TypeError, "single string"),
        ([["a", "list"], "a string"], TypeError, "before it are token lists"),
        (None, TypeError, "None"),
        (3.5, TypeError, "non-iterable"),
        ([["ok", "fine"], ["ok", 1]], TypeError, "non-string token 1"),
        ([], ValueError, "empty"),
        ([[], []], ValueError, "empty"),
        ([["a", "b"], ["c"]], ValueError, "min_count=5"),
    ],
)
def test_bad_training_input_gets_a_clear_error(X, error, match):
    with pytest.raises(error, match=match):
        Word2VecTransformer().fit(X)


@pytest.mark.parametrize(
    "param, value",
    [
        ("vector_size", 0), ("vector_size", -3), ("vector_size", 2.5), ("window", 0),
        ("min_count", 0), ("negative", -1), ("sample", -1e-3), ("alpha", 0.0),
        ("alpha", -0.1), ("min_alpha", -1e-4), ("epochs", 0), ("ns_exponent", float("inf")),
        ("ns_exponent", float("nan")), ("ns_exponent", "0.75"), ("shrink_windows", "yes"),
        ("shared_negatives", 1),
        ("n_jobs", 1.5), ("n_jobs", 0), ("random_state", "seed"), ("verbose", -1),
    ],
)  # fmt: skip
def test_invalid_parameters_are_rejected_in_fit(param, value):
    model = Word2VecTransformer(**{param: value})  # __init__ never validates
    with pytest.raises(ValueError, match=param):
        model.fit([["a", "b"]] * 10)


def test_transform_validates_documents_too(fitted):
    with pytest.raises(TypeError, match="before it are raw strings"):
        fitted.transform(["god", ["said"]])
    with pytest.raises(TypeError, match="non-string token 3"):
        fitted.transform([["god", 3]])
