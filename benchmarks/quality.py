"""Vector quality: skw2v beside gensim 4.4.0 with identical parameters on the same corpus.

    python benchmarks/quality.py [--corpus PATH] [--threads 2] [--seeds 1] [--lines N]

Each model is trained in its own fresh process; all are scored by gensim's evaluator
(analogy accuracy on questions-words.txt, WordSim-353 Spearman), and skw2v also by its
own ``WordVectors`` evaluator as a cross-check. With ``--seeds N`` every row is trained
with seeds 0..N-1 and the table shows mean, standard deviation and range.
"""

from __future__ import annotations

import argparse
import statistics
import sys

import _common

SHARED = dict(vector_size=100, window=5, min_count=5, sample=1e-3, negative=5,
              ns_exponent=0.75, alpha=0.025, min_alpha=1e-4)  # fmt: skip

#: (row name, library, extra parameters for that library)
ROWS = [
    ("skip-gram", "gensim 4.4.0", dict(sg=1)),
    ("skip-gram", "skw2v (shared negatives, default)", dict(shared_negatives=True)),
    ("skip-gram", "skw2v (per-pair negatives)", dict(shared_negatives=False)),
    ("CBOW", "gensim 4.4.0", dict(sg=0, cbow_mean=1)),
    ("CBOW", "skw2v (groups, default)", dict(architecture="cbow")),
    ("skip-gram, hierarchical softmax", "gensim 4.4.0", dict(sg=1, hs=1, negative=0)),
    (
        "skip-gram, hierarchical softmax",
        "skw2v (blocked, default)",
        dict(objective="hierarchical_softmax", negative=0),
    ),
    (
        "skip-gram, hierarchical softmax",
        "skw2v (per-pair)",
        dict(objective="hierarchical_softmax", negative=0, shared_negatives=False),
    ),
    ("CBOW", "skw2v (per centre)", dict(architecture="cbow", shared_negatives=False)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--questions", default=str(_common.DEFAULT_QUESTIONS))
    parser.add_argument("--wordsim", default=str(_common.DEFAULT_WORDSIM))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1 per row")
    parser.add_argument("--lines", "--limit", dest="limit", type=int, default=None,
                        help="read only the first N lines")  # fmt: skip
    parser.add_argument(
        "--rows",
        type=int,
        nargs="*",
        help="indices of ROWS to run (default all; 0-2 skip-gram, 3-4 and 8 CBOW, "
        "5-7 hierarchical softmax)",
    )
    args = parser.parse_args()

    table = []
    gensim_seconds = None
    selected = args.rows if args.rows else range(len(ROWS))
    for index in selected:
        mode, library, extra = ROWS[index]
        results = []
        for seed in range(args.seeds):
            if library.startswith("gensim"):
                params = dict(SHARED, epochs=args.epochs, workers=args.threads, seed=seed)
                params.update(extra)
                fn = _common.train_gensim
            else:
                params = dict(SHARED, epochs=args.epochs, n_jobs=args.threads, random_state=seed)
                params.update(extra)
                fn = _common.train_skw2v
            results.append(
                _common.run_isolated(
                    fn, args.corpus, args.limit, params, args.questions, args.wordsim
                )
            )
        seconds = statistics.median(r["seconds"] for r in results)
        if library.startswith("gensim"):
            gensim_seconds = seconds
        own = ""
        if "own_analogy" in results[0]:
            own = f" (own evaluator: {_common.summary([r['own_analogy'] for r in results])})"
        table.append(
            [
                mode,
                library,
                _common.summary([r["analogy"] for r in results]) + own,
                _common.summary([r["wordsim"] for r in results]),
                f"{seconds:.1f}",
                f"{gensim_seconds / seconds:.2f}" if gensim_seconds else "",
            ]
        )
    _common.print_table(
        f"Quality on {args.corpus}{f', first {args.limit:,} lines' if args.limit else ''} "
        f"({args.epochs} epochs, {args.threads} threads, "
        f"{args.seeds} seed(s); fit seconds are medians and include the vocabulary)",
        [
            "mode",
            "library",
            "analogy",
            "WordSim-353 Spearman",
            "fit s",
            "gensim s / this s (same mode)",
        ],
        table,
    )


def table_name(argv: list[str]) -> str:
    """``quality`` for the default run; otherwise the lines and rows in the name
    (``quality-100000-rows-5-6-7``), so that each table the pages include keeps its file."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--lines", "--limit", dest="limit", type=int, default=None)
    parser.add_argument("--rows", type=int, nargs="*")
    known, _ = parser.parse_known_args(argv)
    name = "quality"
    if known.limit:
        name += f"-{known.limit}"
    if known.rows:
        name += "-rows-" + "-".join(map(str, known.rows))
    return name


if __name__ == "__main__":
    _common.run_published(main, table_name(sys.argv[1:]))
