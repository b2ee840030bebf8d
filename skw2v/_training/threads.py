"""Thread counts: scikit-learn's meaning of ``n_jobs``.

Training and pooling run their ``nogil`` numba kernels on Python threads (one kernel,
compiled once, whatever the thread count), so numba's own thread pool is not used; its
size (``NUMBA_NUM_THREADS``, the number of processors by default) still caps the count.
"""

from __future__ import annotations

import sys

import numba
from joblib import effective_n_jobs
from joblib.parallel import get_active_backend


def max_threads() -> int:
    """The most threads skw2v uses: ``NUMBA_NUM_THREADS`` (the processors by default)."""
    return int(numba.config.NUMBA_NUM_THREADS)


def resolve_threads(n_jobs: int | None) -> int:
    """scikit-learn's meaning of ``n_jobs``, capped at :func:`max_threads`.

    ``None`` is 1 unless inside a joblib ``parallel_config``/``parallel_backend`` context
    at the top level; inside a worker of any joblib backend (loky, threading, dask, ray:
    a nested backend) it is always 1, so parallel fits do not oversubscribe the cores and
    seeded fits stay reproducible. ``-1`` is all processors; ``0`` has no meaning.
    """
    if n_jobs == 0:
        raise ValueError("n_jobs=0 has no meaning; pass None or 1 for one thread, -1 for all.")
    if n_jobs is None and inside_parallel_worker():
        return 1
    return max(1, min(int(effective_n_jobs(n_jobs)), max_threads()))


def inside_parallel_worker() -> bool:
    """Whether this code runs as a task of a parallel job: in a worker of a joblib backend
    (a nested backend), or in a dask.distributed worker (where joblib's dask backend
    reports no nesting)."""
    if getattr(get_active_backend()[0], "nesting_level", 0) > 0:
        return True
    distributed = sys.modules.get("distributed")  # never imported just to ask
    if distributed is not None:
        try:
            distributed.get_worker()
        except (ValueError, AttributeError):
            return False
        return True
    return False
