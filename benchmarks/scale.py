"""Large corpora from files: encode throughput, training throughput and memory, with the
encoded corpus in memory and on disk (memory-mapped).

    python benchmarks/scale.py [--corpus PATH] [--times 1 4 8] [--threads 2] [--folder DIR]
    python benchmarks/scale.py --spark [--threads 2]   # Spark MLlib's Word2Vec beside skw2v

The benchmark corpus is written ``--times`` times over into one gzipped file (and, for
1×, also as plain text), once per size, in ``--folder``. Each measurement runs in a fresh
process:

- encode: ``count_and_encode`` + ``build_vocabulary`` on a ``LineCorpus`` (what ``fit``
  does before training: read, decompress, split, count, encode) on one thread, in
  tokens per second. The process first encodes a two-line file, which loads numba and
  the cached kernels (a one-time cost per process, about 0.14 s, shown in its own
  column);
- fit: ``Word2VecTransformer(epochs=1, n_jobs=--threads).fit(LineCorpus(path))``, with
  the training loop's throughput in words per second, the process's peak RSS (VmHWM)
  and its peak anonymous memory (``RssAnon`` from ``/proc/self/status``, sampled every
  20 ms during the fit). File-backed pages of the memory-mapped corpus are not
  anonymous: they are the page cache's, which the kernel can evict.

``--spark`` instead trains Spark MLlib's ``Word2Vec`` (skip-gram with hierarchical
softmax, one model per partition, averaged; ``local[--threads]``, ``--threads``
partitions) and skw2v (``n_jobs=--threads``) on the 1x file with the same settings (100
dimensions, window 5, min count 5, 5 epochs, learning rate 0.025), and grades both with
gensim's evaluator. Needs ``pip install pyspark`` and Java 17.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import _common


def write_corpus(source: str, times: int, folder: Path, compress: bool = True) -> Path:
    path = folder / (f"corpus-{times}x.txt" + (".gz" if compress else ""))
    if path.exists():
        return path
    with gzip.open(source, "rb") as handle:
        text = handle.read()
    opener = (lambda p: gzip.open(p, "wb", compresslevel=1)) if compress else (
        lambda p: open(p, "wb"))  # fmt: skip
    with opener(str(path) + ".part") as out:
        for _ in range(times):
            out.write(text)
    os.replace(str(path) + ".part", path)
    return path


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def encode(path: str) -> dict:
    from skw2v import LineCorpus
    from skw2v._training.corpus import count_and_encode
    from skw2v._training.vocab import build_vocabulary

    def run(source, min_count: int) -> tuple[int, float]:
        tic = time.perf_counter()
        types, provisional = count_and_encode(LineCorpus(source))
        n_tokens = provisional.n_tokens
        build_vocabulary(types, provisional, min_count)
        return n_tokens, time.perf_counter() - tic

    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "tiny.txt"
        tiny.write_text("load the kernels\nonce\n")
        _, load_seconds = run(tiny, 1)
    n_tokens, seconds = run(path, 5)
    return {"tokens": n_tokens, "seconds": seconds, "load_seconds": load_seconds}


def fit(path: str, storage: str, threads: int) -> dict:
    from skw2v import LineCorpus, Word2VecTransformer

    Word2VecTransformer(min_count=1, epochs=1, n_jobs=threads).fit([["warm", "up"]] * 3)
    peak = {"anon": _status_kib("RssAnon")}
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            peak["anon"] = max(peak["anon"], _status_kib("RssAnon"))

    before = _common.reset_peak_rss()
    anon_before = _status_kib("RssAnon") / 1024
    peak["anon"] = _status_kib("RssAnon")
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    tic = time.perf_counter()
    model = Word2VecTransformer(epochs=1, n_jobs=threads, random_state=0,
                                corpus_storage=storage).fit(LineCorpus(path))  # fmt: skip
    seconds = time.perf_counter() - tic
    done.set()
    sampler.join()
    model_mib = (model.input_vectors_.nbytes + model.output_vectors_.nbytes) / 2**20
    return {
        "seconds": seconds,
        "train_seconds": model.training_seconds_,
        "words": model.n_training_words_,
        "peak_rss": _common.peak_rss_mib(),
        "rss_before": before,
        "peak_anon": peak["anon"] / 1024,
        "anon_before": anon_before,
        "model_mib": model_mib,
    }


def spark_fit(path: str, threads: int, questions: str, wordsim: str) -> dict:
    import numpy as np
    from pyspark.ml.feature import Word2Vec
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{threads}]")
        .config("spark.driver.memory", "8g")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    try:
        frame = spark.read.text(path).selectExpr(
            "filter(split(trim(value), '\\\\s+'), w -> w != '') AS words"
        )
        frame = frame.repartition(threads).cache()
        frame.count()
        tic = time.perf_counter()
        model = Word2Vec(vectorSize=100, windowSize=5, minCount=5, maxIter=5,
                         numPartitions=threads, stepSize=0.025, seed=0, inputCol="words",
                         outputCol="vector").fit(frame)  # fmt: skip
        seconds = time.perf_counter() - tic
        rows = model.getVectors().collect()
    finally:
        spark.stop()
    words = [row["word"] for row in rows]
    vectors = np.array([row["vector"].toArray() for row in rows], dtype=np.float32)
    return {"seconds": seconds, **_common.gensim_scores(words, vectors, questions, wordsim)}


def skw2v_fit(path: str, threads: int, questions: str, wordsim: str) -> dict:
    from skw2v import LineCorpus, Word2VecTransformer

    Word2VecTransformer(min_count=1, epochs=1, n_jobs=threads).fit([["warm", "up"]] * 3)
    tic = time.perf_counter()
    model = Word2VecTransformer(n_jobs=threads, random_state=0).fit(LineCorpus(path))
    seconds = time.perf_counter() - tic
    wv = model.wv_
    return {"seconds": seconds, **_common.gensim_scores(wv.index_to_key, wv.vectors, questions,
                                                          wordsim)}  # fmt: skip


def spark_table(args, folder: Path) -> None:
    path = str(write_corpus(args.corpus, 1, folder, compress=False))
    rows = []
    for name, function in (("Spark MLlib Word2Vec", spark_fit), ("skw2v", skw2v_fit)):
        r = _common.run_isolated(function, path, args.threads, args.questions, args.wordsim)
        rows.append([name, f"{r['seconds']:.1f}", f"{r['analogy']:.4f}", f"{r['wordsim']:.4f}"])
        print(rows[-1], file=sys.stderr)
    _common.print_table(
        f"Bench corpus (1x), 5 epochs, 100 dimensions, {args.threads} threads / "
        f"local[{args.threads}] with {args.threads} partitions (fit seconds)",
        ["system", "fit s", "analogy", "WordSim-353"], rows,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--times", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--folder", default=None, help="where the corpus files go")
    parser.add_argument("--spark", action="store_true", help="Spark MLlib beside skw2v")
    parser.add_argument("--encode-only", action="store_true", help="only the encode table")
    parser.add_argument("--questions", default=str(_common.DEFAULT_QUESTIONS))
    parser.add_argument("--wordsim", default=str(_common.DEFAULT_WORDSIM))
    args = parser.parse_args()

    folder = Path(args.folder or tempfile.mkdtemp(prefix="skw2v-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.spark:
        try:
            spark_table(args, folder)
        finally:
            if args.folder is None:
                shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        encode_rows, fit_rows = [], []
        files = [(f"{t}x, gzip", write_corpus(args.corpus, t, folder)) for t in args.times]
        if 1 in args.times:
            files.insert(0, ("1x, plain text", write_corpus(args.corpus, 1, folder, False)))
        for label, path in files:
            r = _common.run_isolated(encode, str(path))
            encode_rows.append([label, f"{path.stat().st_size / 2**20:,.0f}",
                                f"{r['tokens']:,}", f"{r['load_seconds']:.2f}",
                                f"{r['seconds']:.2f}",
                                f"{r['tokens'] / r['seconds'] / 1e6:.2f}"])  # fmt: skip
            print(encode_rows[-1], file=sys.stderr)
            if "plain" in label or args.encode_only:
                continue
            for storage in ("memory", "disk"):
                r = _common.run_isolated(fit, str(path), storage, args.threads)
                fit_rows.append([
                    label, storage, f"{r['seconds']:.1f}", f"{r['train_seconds']:.1f}",
                    f"{r['words'] / r['train_seconds'] / 1e6:.2f}", f"{r['peak_rss']:,.0f}",
                    f"{r['anon_before']:,.0f}", f"{r['peak_anon']:,.0f}",
                    f"{r['peak_anon'] - r['anon_before']:,.0f}", f"{r['model_mib']:,.0f}",
                ])  # fmt: skip
                print(fit_rows[-1], file=sys.stderr)
        _common.print_table(
            "Encode (read, decompress, split, count, encode, build the vocabulary), 1 thread",
            ["file", "MiB on disk", "tokens", "first call (load kernels) s", "seconds",
             "M tokens/s"], encode_rows,
        )  # fmt: skip
        _common.print_table(
            f"fit(LineCorpus), 1 epoch, {args.threads} threads: memory vs memory-mapped corpus",
            ["file", "corpus_storage", "fit s", "train s", "M words/s (train)",
             "peak RSS MiB", "RssAnon before MiB", "peak RssAnon MiB", "fit's own RssAnon MiB",
             "model MiB (in + out)"],
            fit_rows,
        )  # fmt: skip
    finally:
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


def table_name(argv: list[str]) -> str:
    """The table file a run writes: ``scale``, ``scale-encode`` or ``scale-spark``."""
    if "--spark" in argv:
        return "scale-spark"
    return "scale-encode" if "--encode-only" in argv else "scale"


if __name__ == "__main__":
    _common.run_published(main, table_name(sys.argv[1:]))
