"""Helpers shared by the benchmark scripts: data paths, corpus loading, child processes,
evaluation with gensim's reference evaluator, and table printing."""

from __future__ import annotations

import contextlib
import datetime
import gzip
import io
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEFAULT_CORPUS = SHARED / "bench-corpus.txt.gz"
DEFAULT_QUESTIONS = SHARED / "questions-words.txt"
DEFAULT_WORDSIM = SHARED / "wordsim353.tsv"


def load_corpus(path: str | Path, limit: int | None = None) -> list[list[str]]:
    """One document per line, tokens split on white space; ``limit`` lines at most."""
    opener = gzip.open if str(path).endswith(".gz") else open
    docs = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if limit is not None and i >= limit:
                break
            tokens = line.split()
            if tokens:
                docs.append(tokens)
    return docs


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mib() -> float:
    """Peak resident set size of this process (since the last reset), MiB."""
    return _status_mib("VmHWM")


def current_rss_mib() -> float:
    return _status_mib("VmRSS")


def reset_peak_rss() -> float:
    """Reset the peak-RSS mark (Linux ``clear_refs``) and return the current RSS, MiB."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass
    return current_rss_mib()


def run_isolated(function, *args):
    """Run ``function(*args)`` in a fresh spawned process and return its result."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def gensim_scores(index_to_key, vectors, questions, wordsim) -> dict:
    """Analogy accuracy and WordSim-353 Spearman from gensim's own evaluator."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=vectors.shape[1], dtype=np.float32)
    kv.add_vectors(list(index_to_key), vectors)
    analogy, _ = kv.evaluate_word_analogies(str(questions))
    _, spearman, _ = kv.evaluate_word_pairs(str(wordsim))
    return {"analogy": float(analogy), "wordsim": float(spearman.statistic)}


def train_gensim(corpus_path, limit, params: dict, questions, wordsim) -> dict:
    """Child process: load the corpus, train gensim's Word2Vec, evaluate."""
    from gensim.models import Word2Vec

    docs = load_corpus(corpus_path, limit)
    rss_before = peak_rss_mib()
    tic = time.perf_counter()
    model = Word2Vec(sentences=docs, **params)
    seconds = time.perf_counter() - tic
    result = {
        "seconds": seconds,
        "train_seconds": float(model.total_train_time),
        "rss": peak_rss_mib(),
        "rss_before": rss_before,
    }
    result.update(gensim_scores(model.wv.index_to_key, model.wv.vectors, questions, wordsim))
    return result


def train_skw2v(corpus_path, limit, params: dict, questions, wordsim) -> dict:
    """Child process: load the corpus, fit Word2VecTransformer, evaluate (both evaluators)."""
    from skw2v import Word2VecTransformer

    docs = load_corpus(corpus_path, limit)
    Word2VecTransformer(min_count=1, epochs=1, n_jobs=params.get("n_jobs")).fit([["warm", "up"]])
    rss_before = peak_rss_mib()
    tic = time.perf_counter()
    model = Word2VecTransformer(**params).fit(docs)
    seconds = time.perf_counter() - tic
    result = {
        "seconds": seconds,
        "train_seconds": model.training_seconds_,
        "effective_words": int(sum(model.effective_words_)),
        "raw_words": int(model.n_training_words_) * params.get("epochs", 5),
        "rss": peak_rss_mib(),
        "rss_before": rss_before,
    }
    result.update(gensim_scores(model.wv_.index_to_key, model.wv_.vectors, questions, wordsim))
    own_analogy, _ = model.wv_.evaluate_analogies(questions)
    own_pairs = model.wv_.evaluate_word_pairs(wordsim)
    result["own_analogy"] = float(own_analogy)
    result["own_wordsim"] = float(own_pairs[1].statistic)
    return result


def summary(values: list[float]) -> str:
    """Mean ± standard deviation [min, max] of a metric over seeds (the value for one)."""
    if len(values) == 1:
        return f"{values[0]:.4f}"
    return (
        f"{statistics.mean(values):.4f} ± {statistics.stdev(values):.4f} "
        f"[{min(values):.4f}, {max(values):.4f}]"
    )


def print_table(title: str, header: list[str], rows: list[list]) -> None:
    """Print a GitHub-flavoured markdown table."""
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print(flush=True)


#: Where the benchmark scripts write the tables the documentation includes.
TABLES = Path(__file__).resolve().parents[1] / "docs" / "_tables"


def machine() -> str:
    """The CPU model, core count and Python version, for a table's caption."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(line.split(":", 1)[1].strip() for line in info
                         if line.startswith("model name"))  # fmt: skip
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


class _Tee(io.TextIOBase):
    def __init__(self, stream) -> None:
        self.stream = stream
        self.captured = io.StringIO()

    def write(self, text: str) -> int:
        self.captured.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def run_published(main, name: str) -> None:
    """Run a benchmark script's ``main`` and write all it printed to
    ``docs/_tables/<name>.md`` (see :func:`published`), unless the environment sets
    ``SKW2V_NO_PUBLISH=1`` (an exploratory run)."""
    with published(name, enabled=publishing()):
        main()


def publishing() -> bool:
    """Whether this run writes its tables under ``docs/_tables`` (the environment
    variable ``SKW2V_NO_PUBLISH=1`` marks an exploratory run)."""
    return os.environ.get("SKW2V_NO_PUBLISH") != "1"


@contextlib.contextmanager
def published(name: str, enabled: bool = True):
    """Print as usual; on success, also write what was printed to
    ``docs/_tables/<name>.md`` with the command, date and machine, for the documentation
    pages to include (so that no figure there is copied by hand)."""
    if not enabled:
        yield
        return
    tee = _Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):
        yield
    script = os.path.relpath(sys.argv[0], Path(__file__).resolve().parents[1])
    command = " ".join(["python", script, *sys.argv[1:]])
    date = datetime.date.today().isoformat()
    text = tee.captured.getvalue().strip()
    TABLES.mkdir(exist_ok=True)
    target = TABLES / f"{name}.md"
    partial = target.with_suffix(".md.tmp")
    partial.write_text(f"Printed by `{command}` on {date} ({machine()}):\n\n```text\n{text}\n```\n",
                       encoding="utf-8")  # fmt: skip
    os.replace(partial, target)
    print(f"(written to {os.path.relpath(target)})", file=sys.stderr)
