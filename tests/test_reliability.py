"""Regression tests: no crash from inconsistent state, bad input or a damaged file; no
partial file after a failed save; stable numerics at the extremes."""

import gzip
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

from skw2v import Word2VecTransformer, WordVectors, WordVectorsTransformer
from skw2v._io import word2vec_format as w2v_format
from skw2v._state import InconsistentStateError
from skw2v._training import driver as _training
from skw2v._training.vocab import alias_probabilities, alias_table

DOCS = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat"], ["a", "cat"]] * 20
PARAMS = dict(vector_size=8, min_count=1, epochs=1, n_jobs=1, random_state=0)


@pytest.fixture
def model():
    return Word2VecTransformer(**PARAMS).fit(DOCS)


# --------------------------------------------------------------------- tampered state
def _huge_index(m):
    m.wv_.key_to_index["the"] = 2_000_000_000


def _small_index(m):  # a valid-looking row of another word
    m.wv_.key_to_index["the"] = m.wv_.key_to_index["cat"]


def _index_of_40(m):
    m.wv_.key_to_index["the"] = 40


def _short_weights(m):
    m.word_weights_ = m.word_weights_[:-1]


def _short_vectors(m):
    m.wv_.vectors = m.wv_.vectors[:-1]


def _short_counts(m):
    m.wv_.counts = m.wv_.counts[:-1]


def _short_input_vectors(m):
    m.input_vectors_ = m.input_vectors_[:-1]


def _short_output_vectors(m):
    m.output_vectors_ = m.output_vectors_[:-1]


def _unknown_pooling(m):
    m.fitted_pooling_ = "median"


def _wrong_sif_component(m):
    m.sif_component_ = np.ones(3, dtype=np.float32)


def _words_swapped(m):
    m.wv_.index_to_key[0], m.wv_.index_to_key[1] = m.wv_.index_to_key[1], m.wv_.index_to_key[0]


def _float64_vectors(m):
    m.wv_.vectors = m.wv_.vectors.astype(np.float64)


TAMPERINGS = [_huge_index, _small_index, _index_of_40, _short_weights, _short_vectors,
              _short_counts, _short_input_vectors, _short_output_vectors, _unknown_pooling,
              _wrong_sif_component, _words_swapped, _float64_vectors]  # fmt: skip


@pytest.mark.parametrize("tamper", TAMPERINGS)
def test_a_tampered_pickle_is_refused_when_loaded(model, tamper):
    tamper(model)
    with pytest.raises(InconsistentStateError, match="inconsistent state"):
        pickle.loads(pickle.dumps(model))


def test_a_tampered_word_vectors_pickle_is_refused(model):
    wv = model.wv_
    wv.counts = wv.counts[:2]
    with pytest.raises(InconsistentStateError, match="counts has 2 entries"):
        pickle.loads(pickle.dumps(wv))


@pytest.mark.parametrize("tamper", [_huge_index, _short_weights, _short_input_vectors])
def test_a_tampered_skops_file_of_trusted_types_is_refused(model, tamper, tmp_path):
    sio = pytest.importorskip("skops.io")
    tamper(model)
    sio.dump(model, tmp_path / "m.skops")
    trusted = sio.get_untrusted_types(file=tmp_path / "m.skops")
    assert all(name.startswith("skw2v.") for name in trusted)
    with pytest.raises(InconsistentStateError):
        sio.load(tmp_path / "m.skops", trusted=trusted)


@pytest.mark.parametrize("tamper", [_huge_index, _index_of_40])
def test_transform_checks_the_ids_it_pools_after_changes_in_memory(model, tamper):
    tamper(model)
    model.wv_._lookup = None  # the encoding mapping is rebuilt from the tampered dict
    with pytest.raises(InconsistentStateError, match="word id outside"):
        model.transform(DOCS)


@pytest.mark.parametrize(
    "tamper", [_short_weights, _short_vectors, _wrong_sif_component, _unknown_pooling]
)
def test_transform_refuses_inconsistent_pooling_state(model, tamper):
    tamper(model)
    with pytest.raises(InconsistentStateError):
        model.transform(DOCS)


@pytest.mark.parametrize(
    "tamper",
    [_short_input_vectors, _short_output_vectors, _short_counts, _short_vectors, _huge_index,
     _words_swapped],
)  # fmt: skip
def test_partial_fit_refuses_inconsistent_training_state(model, tamper):
    tamper(model)
    with pytest.raises(InconsistentStateError):
        model.partial_fit(DOCS)


def test_partial_fit_refuses_parameters_that_reshape_the_model(model):
    with pytest.raises(InconsistentStateError, match="vector_size=4"):
        model.set_params(vector_size=4).partial_fit(DOCS)
    hs = Word2VecTransformer(**PARAMS, objective="hierarchical_softmax").fit(DOCS)
    with pytest.raises(InconsistentStateError, match="objective='negative_sampling'"):
        hs.set_params(objective="negative_sampling").partial_fit(DOCS)


def test_pretrained_transformer_checks_word_vectors_it_is_given():
    wv = WordVectors(np.eye(3, dtype=np.float32), ["a", "b", "c"])
    wv.key_to_index["a"] = 7
    with pytest.raises(InconsistentStateError, match="maps 'a' to 7"):
        WordVectorsTransformer(wv, pooling="tfidf").fit([["a", "b"]])


# ------------------------------------------------------------------------ bad documents
class _Filtering(list):
    """A list whose iteration yields fewer items than its len()."""

    def __iter__(self):
        return (token for token in list.__iter__(self) if token != "cat")


@pytest.mark.parametrize("as_iterator", [False, True])
def test_documents_whose_len_differs_from_their_tokens_are_refused(model, as_iterator):
    bad = [["the", "dog"], _Filtering(["the", "cat", "sat"])]
    with pytest.raises(TypeError, match="len\\(\\) must equal"):
        Word2VecTransformer(**PARAMS).fit(iter(bad) if as_iterator else bad)
    with pytest.raises(TypeError, match="document 1 is the first"):
        model.transform(bad)


@pytest.mark.parametrize(
    "X, message",
    [
        ("the cat", "X is a single string"),
        (["the cat", ["the"]], r"Document 1 of X is a list .* before it are raw strings"),
        (None, "X is None"),
        ([np.array("the")], "Document 0 of X is a 0-D array"),
        (42, "non-iterable int"),
    ],
)
def test_transform_errors_name_the_problem(model, X, message):
    with pytest.raises(TypeError, match=message) as error:
        model.transform(X)
    assert "Document -1" not in str(error.value)


def test_a_callable_analyzer_returning_a_string_is_named(model):
    def shout(text):
        return text.upper()

    with pytest.raises(TypeError, match=r"analyzer=<function .*shout.* returned a str"):
        Word2VecTransformer(**PARAMS, analyzer=shout).fit(["the cat"])


def test_a_data_frame_is_refused_not_read_as_its_column_names(model):
    pd = pytest.importorskip("pandas")
    with pytest.raises(TypeError, match="column names"):
        model.transform(pd.DataFrame({"text": DOCS}))


# ---------------------------------------------------------------------------- parameters
@pytest.mark.parametrize(
    "params",
    [dict(window=2**62), dict(window=2**63 - 1, shrink_windows=False), dict(window=2**31),
     dict(window=10_001), dict(negative=10**6), dict(vector_size=2**40), dict(epochs=2**62)],
)  # fmt: skip
def test_sizes_that_reach_kernel_allocations_are_bounded(params):
    with pytest.raises(ValueError, match="must be an int in the range"):
        Word2VecTransformer(**{**PARAMS, **params}).fit(DOCS)


def test_work_space_of_all_sizes_together_is_bounded():
    with pytest.raises(ValueError, match="MiB of work space"):
        Word2VecTransformer(**{**PARAMS, "window": 10_000, "vector_size": 100_000}).fit(DOCS)


def test_hierarchical_softmax_allocates_nothing_for_negative():
    params = Word2VecTransformer(negative=1_000, objective="hierarchical_softmax")
    config = _training.kernel_config(params._training_parameters(), 100)
    assert config.negative == 0


def test_min_alpha_above_alpha_names_min_alpha():
    with pytest.raises(ValueError, match=r"min_alpha=0\.5 is larger than alpha=0\.025"):
        Word2VecTransformer(**PARAMS, min_alpha=0.5).fit(DOCS)


@pytest.mark.parametrize("objective", ["negative_sampling", "hierarchical_softmax"])
def test_divergence_is_caught_for_every_objective(objective, kjv_docs):
    docs = kjv_docs[0][:400]
    with pytest.raises(FloatingPointError, match="smaller alpha") as error:
        Word2VecTransformer(**{**PARAMS, "epochs": 2}, objective=objective, alpha=1e6).fit(docs)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("exponent", [1000.0, -1000.0, 1e-300, 0.0])
def test_extreme_noise_exponents_give_the_limiting_distribution(exponent):
    counts = np.array([1000, 100, 10, 1])
    p = alias_probabilities(*alias_table(counts, exponent))
    if exponent > 1:
        np.testing.assert_allclose(p, [1, 0, 0, 0], atol=1e-9)
    elif exponent < -1:
        np.testing.assert_allclose(p, [0, 0, 0, 1], atol=1e-9)
    else:
        np.testing.assert_allclose(p, [0.25] * 4, atol=1e-9)


# ----------------------------------------------------------------------------- pooling
def test_sif_without_any_word_frequency_is_an_error_at_fit():
    wv = WordVectors(np.eye(3, dtype=np.float32), ["a", "b", "c"])  # no counts
    with pytest.raises(ValueError, match="needs word frequencies"):
        WordVectorsTransformer(wv, pooling="sif").fit([["unknown"], []])


@pytest.mark.parametrize("scale", [1e30, 1e-30, 3e38])
def test_normalize_and_mean_are_stable_for_huge_and_tiny_vectors(scale):
    rng = np.random.default_rng(0)
    vectors = np.clip(rng.normal(size=(4, 6)) * scale, -3e38, 3e38).astype(np.float32)
    wv = WordVectors(vectors, ["a", "b", "c", "d"])
    docs = [["a", "b", "c", "d"], ["a"], ["b", "b"]]
    unit = WordVectorsTransformer(wv, normalize=True).fit().transform(docs)
    np.testing.assert_allclose(np.linalg.norm(unit.astype(np.float64), axis=1), 1.0, rtol=1e-5)
    mean = WordVectorsTransformer(wv).fit().transform(docs)
    assert np.isfinite(mean).all()
    expected = vectors.astype(np.float64).mean(axis=0)
    np.testing.assert_allclose(mean[0], expected, rtol=1e-4, atol=1e-6 * scale)


# --------------------------------------------------------------------------- files
def test_a_failed_save_leaves_the_previous_file_untouched(tmp_path):
    path = tmp_path / "vectors.txt"
    WordVectors(np.eye(2, dtype=np.float32), ["a", "b"]).save_word2vec_format(path)
    before = path.read_bytes()
    bad = WordVectors(np.eye(2, dtype=np.float32), ["fine", "\ud800"])
    for binary in (False, True):
        with pytest.raises(ValueError, match="not valid Unicode"):
            bad.save_word2vec_format(path, binary=binary)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["vectors.txt"]


@pytest.mark.parametrize("name", ["vectors.txt", "vectors.bin.gz"])
def test_an_interrupted_save_leaves_the_previous_file_and_no_temporary(tmp_path, monkeypatch,
                                                                        name):  # fmt: skip
    path = tmp_path / name
    wv = WordVectors(np.eye(3, dtype=np.float32), ["a", "b", "c"])
    wv.save_word2vec_format(path, binary=True)
    before = path.read_bytes()

    def interrupted(*iterables):
        yield from list(zip(*iterables))[:1]
        raise KeyboardInterrupt

    monkeypatch.setattr(w2v_format, "zip", interrupted, raising=False)
    with pytest.raises(KeyboardInterrupt):
        wv.save_word2vec_format(path, binary=True)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [name]


def test_a_saved_file_gets_the_usual_permissions(tmp_path):
    path = tmp_path / "vectors.txt"
    WordVectors(np.eye(2, dtype=np.float32), ["a", "b"]).save_word2vec_format(path)
    reference = tmp_path / "plain"
    reference.write_bytes(b"")
    assert path.stat().st_mode == reference.stat().st_mode


class _CountingReads:
    def __init__(self, handle):
        self.handle, self.reads = handle, 0

    def read(self, n=-1):
        self.reads += 1
        return self.handle.read(n)

    def readline(self, *size):
        return self.handle.readline(*size)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()


def test_the_binary_reader_reads_a_long_row_in_a_few_large_reads(tmp_path, monkeypatch):
    dim = 1 << 22  # one 16 MiB row
    row = np.arange(dim, dtype=np.float32)
    path = tmp_path / "long.bin"
    w2v_format.write_word2vec(path, ["word"], row[None, :], binary=True)
    handles = []
    original = w2v_format.open_file

    def counting_open(path, mode):
        handles.append(_CountingReads(original(path, mode)))
        return handles[-1]

    monkeypatch.setattr(w2v_format, "open_file", counting_open)
    words, vectors, _ = w2v_format.read_word2vec(path, binary=True)
    assert words == ["word"] and np.array_equal(vectors[0], row)
    # (the first handle sniffs the format from the first row)
    assert handles[-1].reads <= 3  # 1 MiB, then the rest of the row at once (1 MiB steps: 16)


@pytest.mark.parametrize("damage", ["truncate", "corrupt"])
def test_a_damaged_compressed_file_raises_a_value_error_naming_it(tmp_path, damage):
    path = tmp_path / "vectors.txt.gz"
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(2000)]
    WordVectors(rng.normal(size=(2000, 20)).astype(np.float32), words).save_word2vec_format(path)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"vectors\.txt\.gz"):
        WordVectors.load_word2vec_format(path)


def test_a_gzip_file_written_by_skw2v_is_a_normal_gzip_file(tmp_path):
    path = tmp_path / "v.txt.gz"
    WordVectors(np.eye(2, dtype=np.float32), ["a", "b"]).save_word2vec_format(path)
    with gzip.open(path, "rt") as handle:
        assert handle.readline() == "2 2\n"


# ------------------------------------------------------------------------------ fork
FORK = """
import multiprocessing, numba
from skw2v import Word2VecTransformer
docs = [["a", "b", "c", "d"]] * 200
Word2VecTransformer(min_count=1, epochs=1, n_jobs=2).fit(docs).transform(docs)
try:
    layer = numba.threading_layer()
except ValueError:
    layer = "none"
def child():
    Word2VecTransformer(min_count=1, epochs=1, n_jobs=2).fit(docs).transform(docs)
p = multiprocessing.get_context("fork").Process(target=child)
p.start(); p.join(60)
print(layer, p.exitcode)
"""


def test_a_process_forked_after_a_threaded_fit_can_fit_again():
    run = subprocess.run([sys.executable, "-c", FORK], capture_output=True, text=True,
                         timeout=600, check=True)  # fmt: skip
    # threads are Python threads: numba's threading layer (OpenMP) is never started
    assert run.stdout.split() == ["none", "0"]
