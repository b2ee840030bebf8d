"""The low-level checks of fitted and loaded state, written once: the error, the array
check, the range check of kernel indices. Each class checks its own state with them
(``WordVectors``, ``SubwordVectors``, the pooling mixin, each estimator).

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


def inconsistent(owner: str, problem: str) -> InconsistentStateError:
    """The error of every state check: ``owner`` has ``problem``."""
    return InconsistentStateError(
        f"{owner} has inconsistent state: {problem}. Fit it again (or rebuild it) instead of "
        "using it: it was modified after fitting, a parameter that shapes the model changed "
        "after fit, or it was loaded from a damaged or tampered file."
    )


def check_array(owner: str, name: str, value, dtype, ndim: int, shape: tuple | None = None) -> None:
    """``value`` is a numpy array of ``dtype`` with ``ndim`` dimensions and, with ``shape``,
    that shape (a ``None`` entry: any length): the one check of every fitted or loaded
    array a kernel will read."""
    if not isinstance(value, np.ndarray):
        raise inconsistent(owner, f"{name} is a {type(value).__name__}, not a numpy array")
    if value.dtype != dtype or value.ndim != ndim:
        raise inconsistent(
            owner, f"{name} is a {value.ndim}-D {value.dtype} array, not {ndim}-D {np.dtype(dtype)}"
        )
    if shape is not None and any(want is not None and got != want
                                 for got, want in zip(value.shape, shape)):  # fmt: skip
        wanted = tuple("any" if want is None else want for want in shape)
        raise inconsistent(owner, f"{name} has shape {value.shape}, not {wanted}")


def check_kernel_indices(ids: np.ndarray, n_rows: int, what: str) -> None:
    """Every id in ``ids`` is a row of a matrix with ``n_rows`` rows (one vectorised pass)."""
    if ids.shape[0] and (int(ids.min()) < 0 or int(ids.max()) >= n_rows):
        raise InconsistentStateError(
            f"{what}: a word id outside 0..{n_rows - 1}; the vocabulary mapping and the vectors "
            "disagree (modified after fitting?). Fit again or rebuild the word vectors."
        )
