import joblib
import pytest

from skw2v._threads import max_threads, resolve_threads


def test_n_jobs_follows_scikit_learn_semantics():
    assert resolve_threads(None) == 1
    assert resolve_threads(1) == 1
    assert resolve_threads(-1) == min(joblib.cpu_count(), max_threads())
    assert resolve_threads(10_000) == max_threads()  # capped at numba's thread pool
    with joblib.parallel_config(n_jobs=2):
        assert resolve_threads(None) == min(2, max_threads())
    with pytest.raises(ValueError, match="n_jobs=0"):
        resolve_threads(0)
