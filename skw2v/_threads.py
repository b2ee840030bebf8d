"""Thread counts: scikit-learn's meaning of ``n_jobs``.

Training and pooling run their ``nogil`` numba kernels on Python threads (one kernel,
compiled once, whatever the thread count), so numba's own thread pool is not used; its
size (``NUMBA_NUM_THREADS``, the number of processors by default) still caps the count.
"""

from __future__ import annotations

import numba
from joblib import effective_n_jobs


def max_threads() -> int:
    """The most threads skw2v uses: ``NUMBA_NUM_THREADS`` (the processors by default)."""
    return int(numba.config.NUMBA_NUM_THREADS)


def resolve_threads(n_jobs: int | None) -> int:
    """scikit-learn's meaning of ``n_jobs``, capped at :func:`max_threads`.

    ``None`` is 1 unless inside a joblib ``parallel_config``/``parallel_backend`` context;
    ``-1`` is all processors; ``0`` has no meaning.
    """
    if n_jobs == 0:
        raise ValueError("n_jobs=0 has no meaning; pass None or 1 for one thread, -1 for all.")
    return max(1, min(int(effective_n_jobs(n_jobs)), max_threads()))
