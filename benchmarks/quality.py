"""Vector quality: skw2v beside gensim 4.4.0 with identical parameters on the same corpus.

    python benchmarks/quality.py [--corpus PATH] [--threads 2] [--limit N]

Each model is trained in its own fresh process; both are scored by gensim's evaluator
(analogy accuracy on questions-words.txt, WordSim-353 Spearman), and skw2v also by its
own ``WordVectors`` evaluator as a cross-check.
"""

from __future__ import annotations

import argparse
import platform

import _common


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--questions", default=str(_common.DEFAULT_QUESTIONS))
    parser.add_argument("--wordsim", default=str(_common.DEFAULT_WORDSIM))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="read only the first N lines")
    args = parser.parse_args()

    shared = dict(vector_size=100, window=5, min_count=5, sample=1e-3, negative=5,
                  ns_exponent=0.75, alpha=0.025, min_alpha=1e-4, epochs=args.epochs)  # fmt: skip
    configurations = [("skip-gram", dict(sg=1), {})]
    rows = []
    for name, gensim_extra, skw2v_extra in configurations:
        gensim_params = dict(shared, workers=args.threads, seed=args.seed, **gensim_extra)
        skw2v_params = dict(shared, n_jobs=args.threads, random_state=args.seed, **skw2v_extra)
        g = _common.run_isolated(_common.train_gensim, args.corpus, args.limit, gensim_params,
                                 args.questions, args.wordsim)  # fmt: skip
        s = _common.run_isolated(_common.train_skw2v, args.corpus, args.limit, skw2v_params,
                                 args.questions, args.wordsim)  # fmt: skip
        rows.append([name, "gensim 4.4.0", f"{g['analogy']:.4f}", f"{g['wordsim']:.4f}",
                     f"{g['seconds']:.1f}", "1.00"])  # fmt: skip
        rows.append([name, "skw2v", f"{s['analogy']:.4f} (own: {s['own_analogy']:.4f})",
                     f"{s['wordsim']:.4f} (own: {s['own_wordsim']:.4f})", f"{s['seconds']:.1f}",
                     f"{g['seconds'] / s['seconds']:.2f}"])  # fmt: skip
    _common.print_table(
        f"Quality on {args.corpus} ({args.epochs} epochs, {args.threads} threads, "
        f"{platform.processor() or platform.machine()}; fit seconds include vocabulary)",
        ["mode", "library", "analogy", "WordSim-353 Spearman", "fit s", "gensim s / skw2v s"],
        rows,
    )


if __name__ == "__main__":
    main()
