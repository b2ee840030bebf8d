"""Where skw2v's skip-gram differs from gensim's, one difference at a time.

    python benchmarks/gensim_gap.py [--lines 200000] [--seeds 4] [--threads 2]
                                    [--variants NAME ...]

Every variant is skw2v's skip-gram with negative sampling and word2vec defaults, or
changed in one respect (``VARIANTS``), trained with seeds 0..S-1 in fresh processes
beside gensim itself, and graded with gensim's evaluator. A difference that is not a
public parameter is set in the child process through a module constant (the
initialisation range, ``skw2v._training.INIT_RANGE``), so the library keeps one code
path. ``benchmarks/gensim_tables.py`` compares the sampling tables.

What gensim does differently from word2vec.c (read from ``word2vec_inner.pyx`` and
``keyedvectors.py`` of gensim 4.4.0):

- initial input vectors uniform in +-1/d (word2vec.c: +-0.5/d);
- no update from a negative-sampling pair whose score is beyond +-6 (word2vec.c
  updates with the saturated sigmoid);
- the learning rate changes once per job of 10,000 words, from the number of sentences
  pushed so far (skw2v: per document, from the number of documents before it; word2vec.c
  and skw2v before issue 13: from the number of words);
- noise words by bisection of a cumulative table over 2**31 (skw2v: an alias table
  at 32-bit resolution; word2vec.c: a table of 1e8 entries);
- a linear congruential generator, one stream per worker thread.
"""

from __future__ import annotations

import argparse
import statistics
import sys

import _common

SHARED = dict(vector_size=100, window=5, min_count=5, sample=1e-3, negative=5,
              ns_exponent=0.75, alpha=0.025, min_alpha=1e-4, epochs=5)  # fmt: skip

#: name -> (skw2v parameters beyond SHARED, patches applied in the child process)
VARIANTS: dict[str, tuple[dict, dict]] = {
    "exact (per-pair negatives)": (dict(shared_negatives=False), {}),
    "exact, init +-0.5/d (word2vec.c)": (dict(shared_negatives=False), {"init_range": 0.5}),
    "shared (default)": (dict(shared_negatives=True), {}),
    "shared, init +-0.5/d (word2vec.c)": (dict(shared_negatives=True), {"init_range": 0.5}),
}


def train_variant(corpus, lines, params, patches, questions, wordsim) -> dict:
    """Child process: apply ``patches``, then train and grade like quality.py."""
    from skw2v._training import driver as _training

    if "init_range" in patches:
        _training.INIT_RANGE = patches["init_range"]
    return _common.train_skw2v(corpus, lines, params, questions, wordsim)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--questions", default=str(_common.DEFAULT_QUESTIONS))
    parser.add_argument("--wordsim", default=str(_common.DEFAULT_WORDSIM))
    parser.add_argument("--lines", type=int, default=200_000, help="first N lines (0: all)")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--no-gensim", action="store_true")
    args = parser.parse_args()
    lines = args.lines or None

    rows = []
    names = ([] if args.no_gensim else ["gensim 4.4.0"]) + args.variants
    for name in names:
        results = []
        for seed in range(args.seeds):
            if name.startswith("gensim"):
                params = dict(SHARED, sg=1, workers=args.threads, seed=seed)
                result = _common.run_isolated(_common.train_gensim, args.corpus, lines, params,
                                              args.questions, args.wordsim)  # fmt: skip
            else:
                extra, patches = VARIANTS[name]
                params = dict(SHARED, n_jobs=args.threads, random_state=seed, **extra)
                result = _common.run_isolated(train_variant, args.corpus, lines, params,
                                              patches, args.questions, args.wordsim)  # fmt: skip
            results.append(result)
            print(name, seed, {k: round(v, 4) for k, v in result.items()
                               if k in ("analogy", "wordsim", "seconds")},
                  file=sys.stderr)  # fmt: skip
        rows.append([name, _common.summary([r["analogy"] for r in results]),
                     _common.summary([r["wordsim"] for r in results]),
                     f"{statistics.median(r['seconds'] for r in results):.1f}"])  # fmt: skip
    _common.print_table(
        f"Skip-gram, negative sampling: {args.lines or 'all'} lines, {args.seeds} seeds, "
        f"{args.threads} threads (mean ± sd [min, max]; fit s median)",
        ["system", "analogy", "WordSim-353", "fit s"],
        rows,
    )


if __name__ == "__main__":
    _common.run_published(main, "gensim-gap")
