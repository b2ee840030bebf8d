"""Thread counts: scikit-learn's meaning of ``n_jobs``, applied to numba's thread pool."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import numba
from joblib import effective_n_jobs


def max_threads() -> int:
    """Size of numba's thread pool (``NUMBA_NUM_THREADS``)."""
    return int(numba.config.NUMBA_NUM_THREADS)


def resolve_threads(n_jobs: int | None) -> int:
    """scikit-learn's meaning of ``n_jobs``, capped at the threads numba can use.

    ``None`` is 1 unless inside a joblib ``parallel_config``/``parallel_backend`` context;
    ``-1`` is all processors; ``0`` has no meaning.
    """
    if n_jobs == 0:
        raise ValueError("n_jobs=0 has no meaning; pass None or 1 for one thread, -1 for all.")
    return max(1, min(int(effective_n_jobs(n_jobs)), max_threads()))


@contextmanager
def _set_numba_threads(n_threads: int) -> Iterator[None]:
    previous = numba.get_num_threads()
    numba.set_num_threads(n_threads)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def numba_threads(n_threads: int):
    """Context in which numba's parallel kernels use ``n_threads`` threads; restored after,
    even on error. A no-op for one thread (the serial kernels do not touch the pool)."""
    return _set_numba_threads(n_threads) if n_threads > 1 else nullcontext()
