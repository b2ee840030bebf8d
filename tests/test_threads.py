import joblib
import pytest

from skw2v._training.threads import max_threads, resolve_threads


def test_n_jobs_follows_scikit_learn_semantics():
    assert resolve_threads(None) == 1
    assert resolve_threads(1) == 1
    assert resolve_threads(-1) == min(joblib.cpu_count(), max_threads())
    assert resolve_threads(10_000) == max_threads()  # capped at numba's thread pool
    with joblib.parallel_config(n_jobs=2):
        assert resolve_threads(None) == min(2, max_threads())
    with pytest.raises(ValueError, match="n_jobs=0"):
        resolve_threads(0)


def test_n_jobs_none_is_one_thread_inside_any_joblib_worker(monkeypatch):
    from skw2v._training import threads as _threads

    # a real nested backend
    inside = joblib.Parallel(n_jobs=2, backend="threading")(
        joblib.delayed(resolve_threads)(None) for _ in range(2)
    )
    assert inside == [1, 1]

    # a backend that hands its workers n_jobs=-1, as dask's does
    class NestedBackend:
        nesting_level = 1

    monkeypatch.setattr(_threads, "get_active_backend", lambda: (NestedBackend(), -1))
    monkeypatch.setattr(_threads, "effective_n_jobs", lambda n_jobs: 2)
    assert resolve_threads(None) == 1
    assert resolve_threads(2) == min(2, max_threads())  # an explicit n_jobs is kept
