"""Training and transform speed: skw2v beside gensim 4.4.0, same parameters, same corpus.

    python benchmarks/speed.py [--corpus PATH] [--limit N] [--repeats 3] [--mode skipgram]

Every measurement runs in its own fresh process, gensim and skw2v alternately. Both get
the corpus as an in-memory list of token lists, loaded before the clock starts.
"peak RSS" is the process's (imports and the token lists included); "fit's own" is the
peak during the fit minus the RSS just before it (the peak mark is reset before the fit).
Words/s are counted like gensim counts them: "effective" words are those kept after
min_count and subsampling; "raw" words are all in-vocabulary corpus tokens.
``--mode`` picks the training mode timed (the same settings for both libraries).
Each training table gives, per library, the best and the median of ``--repeats``
alternating runs and the ratio of the bests (and of the medians); "CPU s" is the
process's CPU time during its best fit (all threads), beside the wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

import _common
import numpy as np

PARAMS = dict(
    vector_size=100,
    window=5,
    min_count=5,
    sample=1e-3,
    negative=5,
    ns_exponent=0.75,
    alpha=0.025,
    min_alpha=1e-4,
    epochs=5,
)

#: Training modes: (title, gensim parameters, skw2v parameters).
MODES = {
    "skipgram": ("Skip-gram", dict(sg=1), {}),
    "cbow": ("CBOW", dict(sg=0, cbow_mean=1), dict(architecture="cbow")),
    "hs": (
        "Skip-gram, hierarchical softmax",
        dict(sg=1, hs=1, negative=0),
        dict(objective="hierarchical_softmax", negative=0),
    ),
}


def gensim_fit(corpus_path, limit, threads, questions, wordsim, extra) -> dict:
    from gensim.models import Word2Vec

    corpus = _common.load_corpus(corpus_path, limit)
    before = _common.reset_peak_rss()
    tic, cpu = time.perf_counter(), time.process_time()
    model = Word2Vec(workers=threads, seed=0, **{**PARAMS, **extra})
    model.build_vocab(corpus)
    effective, raw = model.train(corpus, total_examples=model.corpus_count, epochs=model.epochs)
    seconds = time.perf_counter() - tic
    result = dict(
        seconds=seconds, cpu=time.process_time() - cpu, effective=effective, raw=raw,
        rss=_common.peak_rss_mib(), rss_before=before,
    )  # fmt: skip
    result["train_seconds"] = float(model.total_train_time)
    result.update(
        _common.gensim_scores(model.wv.index_to_key, model.wv.vectors, questions, wordsim)
    )
    return result


def skw2v_fit(corpus_path, limit, threads, questions, wordsim, extra) -> dict:
    from skw2v import Word2VecTransformer

    corpus = _common.load_corpus(corpus_path, limit)
    # load (or compile) the measured mode's kernel before the clock starts
    Word2VecTransformer(min_count=1, epochs=1, n_jobs=threads, **extra).fit([["warm", "up"]])
    before = _common.reset_peak_rss()
    tic, cpu = time.perf_counter(), time.process_time()
    params = {**PARAMS, **extra}
    model = Word2VecTransformer(n_jobs=threads, random_state=0, **params).fit(corpus)
    seconds = time.perf_counter() - tic
    result = dict(
        seconds=seconds,
        cpu=time.process_time() - cpu,
        effective=sum(model.effective_words_),
        raw=model.n_training_words_ * params["epochs"],
        rss=_common.peak_rss_mib(),
        rss_before=before,
        train_seconds=model.training_seconds_,
    )
    result.update(
        _common.gensim_scores(model.wv_.index_to_key, model.wv_.vectors, questions, wordsim)
    )
    return result


def best_of(repeats: int, function):
    """Fastest of ``repeats`` calls (like timeit) and the last result."""
    times = []
    for _ in range(repeats):
        tic = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - tic)
    return min(times), result


def transform_rates(corpus_path, n_docs: int) -> dict:
    """Documents/s: skw2v transform vs a loop over gensim's KeyedVectors.get_mean_vector,
    each the best of 3 runs (output allocation included for both)."""
    from gensim.models import KeyedVectors

    from skw2v import Word2VecTransformer

    docs = _common.load_corpus(corpus_path, n_docs)
    model = Word2VecTransformer(vector_size=100, epochs=1, n_jobs=2, random_state=0).fit(docs)
    kv = KeyedVectors(vector_size=100)
    kv.add_vectors(model.wv_.index_to_key, model.wv_.vectors)
    model.transform(docs[:10])

    def gensim_loop():
        out = np.zeros((len(docs), 100), dtype=np.float32)
        for i, doc in enumerate(docs):  # no document is empty: load_corpus skips those
            out[i] = kv.get_mean_vector(doc, pre_normalize=False, ignore_missing=True)
        return out

    ours_seconds, ours = best_of(3, lambda: model.transform(docs))
    theirs_seconds, theirs = best_of(3, gensim_loop)
    assert np.allclose(ours, theirs, atol=1e-5), "transform disagrees with gensim's mean"
    return {
        "docs": len(docs),
        "skw2v": len(docs) / ours_seconds,
        "gensim": len(docs) / theirs_seconds,
    }


STARTUP = textwrap.dedent(
    """
    import time
    tic = time.perf_counter()
    from skw2v import Word2VecTransformer
    imported = time.perf_counter()
    docs = [["w%d" % ((i * 7 + j) % 50) for j in range(10)] for i in range(100)]
    model = Word2VecTransformer(vector_size=50, min_count=1, n_jobs={threads}).fit(docs)
    fitted = time.perf_counter()
    model.transform(docs)
    done = time.perf_counter()
    print(imported - tic, fitted - imported, done - fitted, done - tic)
    """
)


def startup_seconds(cache_dir: str, threads: int) -> list[float]:
    """One fresh process: seconds of ``import skw2v``, the first fit, the first transform,
    the three together (as measured inside the process), and the process's wall time
    (the interpreter's start included)."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    tic = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", STARTUP.format(threads=threads)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - tic
    return [float(x) for x in done.stdout.split()] + [wall]


def fmt_rate(x: float) -> str:
    return f"{x:,.0f}"


LIBRARIES = (("gensim 4.4.0", gensim_fit), ("skw2v", skw2v_fit))


def training_table(args, threads: int) -> tuple[float, float]:
    """Fit both libraries ``args.repeats`` times, alternately; print one table.

    Returns skw2v's best fit seconds and best training-kernel seconds.
    """
    title, gensim_extra, skw2v_extra = MODES[args.mode]
    extras = {"gensim 4.4.0": gensim_extra, "skw2v": skw2v_extra}
    runs = {name: [] for name, _ in LIBRARIES}
    for _ in range(args.repeats):
        for name, fn in LIBRARIES:
            runs[name].append(
                _common.run_isolated(
                    fn, args.corpus, args.limit, threads, args.questions, args.wordsim,
                    extras[name],
                )
            )  # fmt: skip
    rows, best, medians = [], {}, {}
    for name, results in runs.items():
        seconds = [r["seconds"] for r in results]
        best[name], medians[name] = min(seconds), statistics.median(seconds)
        r = min(results, key=lambda r: r["seconds"])  # the best run's figures
        rows.append(
            [
                name,
                threads,
                f"{best[name]:.1f}",
                f"{medians[name]:.1f}",
                f"{r['cpu']:.1f}",
                f"{min(x['train_seconds'] for x in results):.1f}",
                fmt_rate(r["effective"] / r["seconds"]),
                f"{r['rss']:.0f}",
                f"{r['rss'] - r['rss_before']:.0f}",
                f"{r['analogy']:.4f}",
                f"{r['wordsim']:.4f}",
            ]
        )
    ratio = best["gensim 4.4.0"] / best["skw2v"]
    median_ratio = medians["gensim 4.4.0"] / medians["skw2v"]
    rows.append(["ratio gensim s / skw2v s", threads, f"{ratio:.2f}", f"{median_ratio:.2f}"]
                + [""] * 7)  # fmt: skip
    _common.print_table(
        f"{title}, {threads} thread(s), {args.repeats} alternating run(s) each; best and "
        "median fit s (vocabulary included); the best run's CPU s, train s (the training "
        "loop alone, best), words/s, memory and scores",
        ["library", "threads", "best fit s", "median fit s", "CPU s", "train s",
         "effective words/s", "peak RSS MiB", "fit's own MiB", "analogy", "WordSim-353"],
        rows,
    )  # fmt: skip
    return best["skw2v"], min(r["train_seconds"] for r in runs["skw2v"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--questions", default=str(_common.DEFAULT_QUESTIONS))
    parser.add_argument("--wordsim", default=str(_common.DEFAULT_WORDSIM))
    parser.add_argument("--limit", type=int, default=None, help="read only the first N lines")
    parser.add_argument("--repeats", type=int, default=3,
                        help="alternating runs per library (best and median)")  # fmt: skip
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--mode", choices=sorted(MODES), default="skipgram")
    parser.add_argument("--transform-docs", type=int, default=200_000)
    parser.add_argument("--skip", nargs="*", default=[], choices=["train", "transform", "startup"])
    parser.add_argument("--no-publish", action="store_true",
                        help="do not write docs/_tables/speed-*.md")  # fmt: skip
    args = parser.parse_args()
    ran = [part for part in ("train", "transform", "startup") if part not in args.skip]
    name = "-".join(["speed", *ran] + ([args.mode] if "train" in ran else [])
                    + ([str(args.limit)] if args.limit else []))  # fmt: skip
    with _common.published(name, enabled=not args.no_publish):
        _run(args)


def _run(args) -> None:

    if "train" not in args.skip:
        fit, train = {}, {}
        for threads in args.threads:
            fit[threads], train[threads] = training_table(args, threads)
        if 1 in fit and 2 in fit:
            print(
                f"skw2v 1 -> 2 threads speed-up: fit {fit[1] / fit[2]:.2f}x, "
                f"training kernels {train[1] / train[2]:.2f}x\n",
                flush=True,
            )

    if "transform" not in args.skip:
        r = _common.run_isolated(transform_rates, args.corpus, args.transform_docs)
        _common.print_table(
            f"transform: {r['docs']:,} documents (mean of word vectors), best of 3 runs each",
            ["method", "documents/s", "ratio"],
            [
                ["gensim KeyedVectors.get_mean_vector loop", fmt_rate(r["gensim"]), "1.0"],
                [
                    "skw2v Word2VecTransformer.transform",
                    fmt_rate(r["skw2v"]),
                    f"{r['skw2v'] / r['gensim']:.1f}",
                ],
            ],
        )

    if "startup" not in args.skip:
        rows = []
        for threads in (1, 2):
            cold, warm = [], []
            for _ in range(args.repeats):  # each cold run with its own empty cache
                with tempfile.TemporaryDirectory() as cache:
                    cold.append(startup_seconds(cache, threads))
                    warm.append(startup_seconds(cache, threads))
            for label, runs in (("cold cache", cold), ("warm cache", warm)):
                best = min(runs, key=lambda r: r[-1])
                rows.append([threads, label, f"{best[-1]:.2f}",
                             f"{statistics.median(r[-1] for r in runs):.2f}",
                             *(f"{x:.2f}" for x in best[:3])])  # fmt: skip
        _common.print_table(
            "Fresh process: import skw2v + first fit + first transform of a 1,000-token "
            f"corpus; best and median wall s of {args.repeats} runs, each cold run with an "
            "empty numba cache, then a warm run on that cache; the best run's parts",
            ["n_jobs", "cache", "best s", "median s", "import s", "first fit s",
             "first transform s"],
            rows,
        )  # fmt: skip


if __name__ == "__main__":
    main()
