"""Shared fixtures: a small real corpus and a session-scoped JIT warm-up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skw2v import Doc2VecTransformer, Word2VecTransformer
from skw2v.datasets import load_kjv

DATA = Path(__file__).parent / "data"


def java_missing() -> str | None:
    """Why PySpark cannot run here (not installed, or no Java 17 or later), or None when
    it can."""
    import importlib.util
    import re
    import shutil
    import subprocess

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark (pip install -e '.[interop]')"
    if shutil.which("java") is None:
        return "Java 17 or later (PySpark needs it; no java on PATH)"
    try:
        shown = subprocess.run(["java", "-version"], capture_output=True, text=True,
                               timeout=30).stderr  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Java 17 or later (java -version failed: {exc})"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    major = int(found.group(1)) if found else 0
    if major == 1 and found.group(2):  # "1.8.0" is Java 8
        major = int(found.group(2))
    if major < 17:
        first = shown.splitlines()[0] if shown else "no version"
        return f"Java 17 or later (PySpark needs it; found {first})"
    return None


try:  # the property tests' profiles: small and derandomised for CI, long for a release
    from hypothesis import HealthCheck, settings
except ImportError:  # the property tests skip themselves
    pass
else:
    settings.register_profile("ci", max_examples=40, derandomize=True, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    settings.register_profile("release", max_examples=2_000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def kjv():
    return load_kjv()


@pytest.fixture(scope="session")
def kjv_docs(kjv):
    """Genesis and Matthew: 2,604 verses of real text, two very different books."""
    keep = (kjv.book == "Genesis") | (kjv.book == "Matthew")
    return [doc for doc, k in zip(kjv.data, keep) if k], kjv.book[keep]


@pytest.fixture(scope="session", autouse=True)
def compiled_kernels():
    """Compile (or load from the on-disk cache) every kernel once for the session."""
    docs = [["a", "b", "c", "a", "b"]] * 3
    Word2VecTransformer(min_count=1, epochs=1, n_jobs=1).fit(docs).transform(docs)
    Word2VecTransformer(min_count=1, epochs=1, n_jobs=2).fit(docs).transform(docs)
    for mode in ("dbow", "dm"):
        Doc2VecTransformer(mode=mode, min_count=1, epochs=1, n_jobs=2).fit_transform(docs)


@pytest.fixture(scope="session")
def fitted(kjv_docs):
    """A model trained once on the small corpus, shared by read-only tests."""
    docs, _ = kjv_docs
    return Word2VecTransformer(vector_size=32, min_count=3, epochs=3, n_jobs=1, random_state=0).fit(
        docs
    )
