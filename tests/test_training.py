import os
import subprocess
import sys

import pytest

FIT = "from skw2v import Word2VecTransformer; " + (
    "m = Word2VecTransformer(min_count=1, epochs=1, vector_size=8, n_jobs={n_jobs}, verbose=1)"
    ".fit([['a', 'b', 'c']] * 5); m.transform([['a']])"
)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_second_process_loads_the_compiled_kernels_from_the_disk_cache(tmp_path, n_jobs):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), NUMBA_DEBUG_CACHE="1")
    logs = []
    for _ in range(2):
        run = subprocess.run([sys.executable, "-c", FIT.format(n_jobs=n_jobs)], env=env,
                             capture_output=True, text=True, check=True, timeout=600)  # fmt: skip
        logs.append(run.stdout + run.stderr)
    assert "data saved to" in logs[0] and "words.train_skipgram_negative" in logs[0]
    assert "data saved to" not in logs[1]
    loaded = [line for line in logs[1].splitlines() if "data loaded from" in line]
    assert any("words.train_skipgram_negative" in line for line in loaded)
    assert any("pooling.pool" in line for line in loaded)
    # the one-off compile is reported on its own line, before training starts
    compiled = "[skw2v] compiled the training kernel in"
    assert compiled in logs[0] and compiled not in logs[1]
    assert logs[0].index(compiled) < logs[0].index("epoch")
