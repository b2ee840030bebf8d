"""Checks of fitted and loaded state, before any kernel reads it.

The kernels do no bounds checks. Everything they index with or into must therefore be
consistent: the vocabulary mapping with the vector rows, the pooling weights with the
vocabulary, the training matrices with the vocabulary and the parameters. A pickle, joblib
or skops file built only from trusted types can still carry inconsistent state (tampered
or corrupted), and a user can change attributes in memory. These checks run when such an
object is loaded (``__setstate__``) and again, cheaply, right before a kernel runs.
"""

from __future__ import annotations

import numpy as np


class InconsistentStateError(ValueError):
    """A fitted or loaded object's arrays do not fit together (it cannot be used safely)."""


def _fail(owner: str, problem: str) -> InconsistentStateError:
    return InconsistentStateError(
        f"{owner} has inconsistent state: {problem}. It was modified after fitting, or loaded "
        "from a damaged or tampered file; fit it again (or rebuild it) instead of using it."
    )


def _check_array(owner: str, name: str, value, dtype, ndim: int) -> None:
    if not isinstance(value, np.ndarray):
        raise _fail(owner, f"{name} is a {type(value).__name__}, not a numpy array")
    if value.dtype != dtype or value.ndim != ndim:
        raise _fail(
            owner, f"{name} is a {value.ndim}-D {value.dtype} array, not {ndim}-D {np.dtype(dtype)}"
        )


def check_word_vectors(wv, owner: str = "WordVectors") -> None:
    """Vectors, words, mapping and counts of a :class:`~skw2v.WordVectors` agree."""
    _check_array(owner, "vectors", wv.vectors, np.float32, 2)
    n_words = wv.vectors.shape[0]
    if not isinstance(wv.index_to_key, list) or not isinstance(wv.key_to_index, dict):
        raise _fail(owner, "index_to_key must be a list and key_to_index a dict")
    if len(wv.index_to_key) != n_words:
        raise _fail(owner, f"{len(wv.index_to_key)} words for {n_words} vector rows")
    if len(wv.key_to_index) != n_words:
        raise _fail(owner, f"key_to_index has {len(wv.key_to_index)} entries for {n_words} words")
    for row, key in enumerate(wv.index_to_key):
        if not isinstance(key, str):
            raise _fail(owner, f"word {row} is a {type(key).__name__}, not a str")
        if wv.key_to_index.get(key) != row:
            raise _fail(
                owner, f"key_to_index maps {key!r} to {wv.key_to_index.get(key)!r}, not {row}"
            )
    _check_array(owner, "counts", wv.counts, np.int64, 1)
    if wv.counts.shape[0] != n_words:
        raise _fail(owner, f"counts has {wv.counts.shape[0]} entries for {n_words} words")
    if n_words and int(wv.counts.min()) < 0:
        raise _fail(owner, "counts holds a negative count")
    for first in range(0, n_words, 1 << 16):
        if not np.isfinite(wv.vectors[first : first + (1 << 16)]).all():
            raise _fail(owner, "vectors holds NaN or infinite values")


def check_pooling_state(estimator, *, full: bool = True) -> None:
    """What ``transform`` hands the pooling kernel fits the word vectors.

    ``full`` also checks the word vectors' vocabulary mapping word by word (at load time);
    without it the checks are O(1), for every ``transform`` (the ids the kernel then reads
    are range-checked by :func:`check_kernel_indices`).
    """
    from ._pooling import POOLINGS
    from ._vectors import WordVectors

    owner = type(estimator).__name__
    if not isinstance(estimator.wv_, WordVectors):
        raise _fail(owner, f"wv_ is a {type(estimator.wv_).__name__}, not a WordVectors")
    if full:
        check_word_vectors(estimator.wv_, f"{owner}.wv_")
    else:
        _check_array(f"{owner}.wv_", "vectors", estimator.wv_.vectors, np.float32, 2)
    n_words, dim = estimator.wv_.vectors.shape
    if estimator.fitted_pooling_ not in POOLINGS:
        raise _fail(owner, f"fitted_pooling_ is {estimator.fitted_pooling_!r}")
    _check_array(owner, "word_weights_", estimator.word_weights_, np.float32, 1)
    if estimator.word_weights_.shape[0] != n_words:
        raise _fail(owner, f"word_weights_ has {estimator.word_weights_.shape[0]} entries for "
                           f"{n_words} words")  # fmt: skip
    component = estimator.sif_component_
    if component is not None:
        _check_array(owner, "sif_component_", component, np.float32, 1)
        if component.shape[0] != dim:
            raise _fail(owner, f"sif_component_ has {component.shape[0]} entries for {dim}-D "
                               "vectors")  # fmt: skip


def check_training_state(estimator, output_rows: int) -> None:
    """The matrices ``partial_fit`` trains further fit the vocabulary and the parameters.

    ``output_rows`` is the number of output vectors the current ``objective`` needs for
    the current vocabulary.
    """
    owner = type(estimator).__name__
    check_word_vectors(estimator.wv_, f"{owner}.wv_")
    n_words = len(estimator.wv_.index_to_key)
    dim = estimator.vector_size
    subwords = getattr(estimator, "subwords", None)
    buckets = getattr(estimator.wv_, "buckets", 0)
    if bool(subwords) != bool(buckets) or (subwords and (
            buckets != estimator.buckets
            or tuple(subwords) != (estimator.wv_.min_n, estimator.wv_.max_n))):  # fmt: skip
        raise InconsistentStateError(
            f"{owner} was fitted with different subword parameters than subwords="
            f"{subwords!r}, buckets={getattr(estimator, 'buckets', None)!r}. Parameters "
            "that shape the model cannot change between partial_fit calls: set them back, "
            "or call fit to start again."
        )
    input_rows = n_words + (buckets if subwords else 0)
    for name, rows in (("input_vectors_", input_rows), ("output_vectors_", output_rows)):
        matrix = getattr(estimator, name)
        _check_array(owner, name, matrix, np.float32, 2)
        if matrix.shape != (rows, dim):
            raise InconsistentStateError(
                f"{owner}.{name} has shape {matrix.shape}, but the vocabulary and the current "
                f"parameters (vector_size={dim}, objective={estimator.objective!r}) need "
                f"{(rows, dim)}. Parameters that shape the model cannot change between "
                "partial_fit calls: set them back, or call fit to start again."
            )
    if not isinstance(getattr(estimator, "rare_word_counts_", {}), dict):
        raise _fail(owner, "rare_word_counts_ is not a dict")


def check_kernel_indices(ids: np.ndarray, n_rows: int, what: str) -> None:
    """Every id in ``ids`` is a row of a matrix with ``n_rows`` rows (one vectorised pass)."""
    if ids.shape[0] and (int(ids.min()) < 0 or int(ids.max()) >= n_rows):
        raise InconsistentStateError(
            f"{what}: a word id outside 0..{n_rows - 1}; the vocabulary mapping and the vectors "
            "disagree (modified after fitting?). Fit again or rebuild the word vectors."
        )
