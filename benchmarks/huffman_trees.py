"""Hierarchical softmax on a small corpus: the same kernel with different Huffman trees.

    python benchmarks/huffman_trees.py [--lines 100000] [--seeds 4] [--threads 2]

Every optimal Huffman code of a vocabulary has the same expected length, but where counts
tie (most of a small corpus's vocabulary) the builders differ: word2vec.c's two queues
prefer a merged node over a word of equal count, gensim's binary heap breaks ties by the
heap's layout, and gensim lists equal counts in the reverse order of first appearance.
skw2v's skip-gram with hierarchical softmax (exact, per-pair mode) is trained with each
tree (the kernel unchanged; only ``sampling_tables``' tree builder is swapped), 4 seeds
each, and graded by gensim's evaluator; gensim itself beside it.
"""

from __future__ import annotations

import argparse
import sys

import _common

PARAMS = dict(vector_size=100, window=5, min_count=5, sample=1e-3, alpha=0.025,
              min_alpha=1e-4, epochs=5)  # fmt: skip

TREES = ("gensim's (skw2v's default)", "word2vec.c's two queues")


def skw2v_run(corpus, lines, threads, seed, tree, questions, wordsim) -> dict:
    from skw2v import Word2VecTransformer
    from skw2v._training import driver
    from skw2v._training.vocab import two_queue_huffman_codes

    if tree == TREES[1]:  # this child process only: the frozen model kind, edited in place
        object.__setattr__(driver.WORD_VECTORS, "huffman", two_queue_huffman_codes)
    docs = _common.load_corpus(corpus, lines)
    model = Word2VecTransformer(objective="hierarchical_softmax", negative=0,
                                shared_negatives=False, n_jobs=threads, random_state=seed,
                                **PARAMS).fit(docs)  # fmt: skip
    return _common.gensim_scores(model.wv_.index_to_key, model.wv_.vectors, questions, wordsim)


def gensim_run(corpus, lines, threads, seed, tree, questions, wordsim) -> dict:
    from gensim.models import Word2Vec

    docs = _common.load_corpus(corpus, lines)
    model = Word2Vec(sentences=docs, sg=1, hs=1, negative=0, workers=threads, seed=seed,
                     **PARAMS)  # fmt: skip
    return _common.gensim_scores(model.wv.index_to_key, model.wv.vectors, questions, wordsim)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--questions", default=str(_common.DEFAULT_QUESTIONS))
    parser.add_argument("--wordsim", default=str(_common.DEFAULT_WORDSIM))
    parser.add_argument("--lines", type=int, default=100_000, help="first N lines (0: all)")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    systems = [("gensim 4.4.0", gensim_run, None)] + [
        (f"skw2v per-pair, {tree} tree", skw2v_run, tree) for tree in TREES
    ]
    rows = []
    for name, run, tree in systems:
        results = []
        for seed in range(args.seeds):
            result = _common.run_isolated(run, args.corpus, args.lines or None, args.threads,
                                          seed, tree, args.questions, args.wordsim)  # fmt: skip
            results.append(result)
        rows.append([name] + [_common.summary([r[k] for r in results])
                              for k in ("analogy", "wordsim")])  # fmt: skip
        print(name, [(round(r["analogy"], 4), round(r["wordsim"], 4)) for r in results],
              file=sys.stderr)  # fmt: skip
    _common.print_table(
        f"Skip-gram, hierarchical softmax: first {args.lines:,} lines, {args.seeds} seeds, "
        f"{args.threads} threads (mean ± sd [min, max])",
        ["system", "analogy", "WordSim-353"],
        rows,
    )


if __name__ == "__main__":
    _common.run_published(main, "huffman-trees")
