"""Subword (fastText) vectors: skw2v beside gensim 4.4's FastText, same parameters, same run.

    python benchmarks/subwords.py [--lines N] [--seeds S] [--threads 2]
                                  [--parts quality unseen kjv]

Three parts:

- ``quality``: skip-gram, n-grams (3, 6), 2,000,000 buckets, word2vec defaults otherwise,
  on the bench corpus; analogy accuracy (all, semantic and syntactic sections) and
  WordSim-353, graded by gensim's evaluator on each model's in-vocabulary vectors (the
  composed ones for both libraries), and fit time. Every model trains in a fresh process.
- ``unseen``: the same models trained on the corpus with every token of ~300 evaluation
  words removed (WordSim-353 words, then analogy words, that occur in the corpus).
  Scored on the vectors both libraries compose for those (now unseen) words: Spearman
  correlation on the WordSim-353 pairs involving one of them, and the overlap of each
  word's 10 nearest vocabulary neighbours with its neighbours in the same library's
  full-corpus model.
- ``kjv``: King James verses (testament; book group), 5-fold, Word2VecTransformer +
  LogisticRegression trained on clean verses; test verses clean, and with 10% of their
  tokens given one random character edit (deletion, insertion, substitution or
  transposition). ``subwords=None`` against ``(3, 6)``, and gensim's FastText with
  the same parameters (mean of its ``wv[token]`` vectors, unseen tokens composed).
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import _common
import numpy as np
from scipy import stats

PARAMS = dict(vector_size=100, window=5, min_count=5, sample=1e-3, negative=5,
              alpha=0.025, min_alpha=1e-4, epochs=5)  # fmt: skip
NGRAMS = (3, 6)
BUCKETS = 2_000_000
N_HELD_OUT = 300


# ---------------------------------------------------------------------------- evaluation
def section_scores(index_to_key, vectors, questions, wordsim) -> dict:
    """gensim's analogy (overall, semantic, syntactic) and WordSim-353 scores."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=vectors.shape[1], dtype=np.float32)
    kv.add_vectors(list(index_to_key), vectors)
    analogy, sections = kv.evaluate_word_analogies(str(questions))
    counts = {"semantic": [0, 0], "syntactic": [0, 0]}
    for section in sections:
        if section["section"] == "Total accuracy":
            continue
        kind = "syntactic" if section["section"].startswith("gram") else "semantic"
        counts[kind][0] += len(section["correct"])
        counts[kind][1] += len(section["correct"]) + len(section["incorrect"])
    _, spearman, _ = kv.evaluate_word_pairs(str(wordsim))
    return {
        "analogy": float(analogy),
        "semantic": counts["semantic"][0] / max(counts["semantic"][1], 1),
        "syntactic": counts["syntactic"][0] / max(counts["syntactic"][1], 1),
        "wordsim": float(spearman.statistic),
    }


def read_pairs(path) -> list[tuple[str, str, float]]:
    pairs = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            a, b, score = line.rstrip("\n").split("\t")
            pairs.append((a.lower(), b.lower(), float(score)))
    return pairs


def held_out_words(docs, questions, wordsim) -> list[str]:
    """Up to N_HELD_OUT evaluation words that occur at least 5 times in ``docs``."""
    counts: dict[str, int] = {}
    for doc in docs:
        for token in doc:
            counts[token] = counts.get(token, 0) + 1
    candidates = []
    for a, b, _ in read_pairs(wordsim):
        candidates += [a, b]
    with open(questions, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith(":"):
                candidates += line.lower().split()
    chosen: list[str] = []
    for word in candidates:
        if word not in chosen and counts.get(word, 0) >= 5:
            chosen.append(word)
        if len(chosen) == N_HELD_OUT:
            break
    return chosen


def unseen_scores(vector_of, neighbours_of, full_neighbours, words, wordsim) -> dict:
    """Spearman on WordSim pairs involving a held-out word; neighbour overlap@10."""
    held = set(words)
    human, model = [], []
    for a, b, score in read_pairs(wordsim):
        if a in held or b in held:
            va, vb = vector_of(a), vector_of(b)
            if va is not None and vb is not None:
                cos = float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb) + 1e-30))
                human.append(score)
                model.append(cos)
    overlap = [len(set(neighbours_of(w)) & set(full_neighbours[w])) / 10 for w in words
               if w in full_neighbours]  # fmt: skip
    return {"pairs": len(human), "spearman": float(stats.spearmanr(human, model).statistic),
            "overlap": float(np.mean(overlap))}  # fmt: skip


# ---------------------------------------------------------------------------- training
def _drop(docs, words):
    if not words:
        return docs
    held = set(words)
    return [kept for kept in ([t for t in doc if t not in held] for doc in docs) if kept]


def full_model_scores(wv, docs, questions, wordsim) -> dict:
    """Scores of a full-corpus model, its held-out word list and their 10 neighbours (for
    the unseen-word run); ``wv`` is gensim's or skw2v's word vectors."""
    words = held_out_words(docs, questions, wordsim)
    return {
        **section_scores(wv.index_to_key, wv.vectors, questions, wordsim),
        "neighbours": {w: [k for k, _ in wv.most_similar(w, topn=10)] for w in words},
        "held": words,
    }


def train_gensim(corpus, lines, threads, seed, questions, wordsim, held) -> dict:
    from gensim.models import FastText

    docs = _common.load_corpus(corpus, lines)
    full = not held
    docs = _drop(docs, held)
    tic = time.perf_counter()
    model = FastText(sentences=docs, sg=1, min_n=NGRAMS[0], max_n=NGRAMS[1], bucket=BUCKETS,
                     workers=threads, seed=seed, **PARAMS)  # fmt: skip
    seconds = time.perf_counter() - tic
    wv = model.wv
    result = {"seconds": seconds}
    if full:
        result.update(full_model_scores(wv, docs, questions, wordsim))
    else:
        result.update(unseen_scores(
            lambda w: wv[w],
            lambda w: [k for k, _ in wv.most_similar(wv[w], topn=10)],
            held_neighbours(), held, wordsim))  # fmt: skip
    return result


def train_skw2v(corpus, lines, threads, seed, questions, wordsim, held, extra) -> dict:
    from skw2v import Word2VecTransformer

    docs = _common.load_corpus(corpus, lines)
    full = not held
    docs = _drop(docs, held)
    Word2VecTransformer(min_count=1, epochs=1, subwords=NGRAMS, buckets=10,
                        n_jobs=threads).fit([["warm", "up"]])  # fmt: skip
    tic = time.perf_counter()
    model = Word2VecTransformer(subwords=NGRAMS, buckets=BUCKETS, n_jobs=threads,
                                random_state=seed, **PARAMS, **extra).fit(docs)  # fmt: skip
    seconds = time.perf_counter() - tic
    wv = model.wv_
    result = {"seconds": seconds, "train_seconds": model.training_seconds_}
    if full:
        result.update(full_model_scores(wv, docs, questions, wordsim))
    else:

        def vector_of(word):
            try:
                return wv[word]
            except KeyError:
                return None

        result.update(unseen_scores(
            vector_of, lambda w: [k for k, _ in wv.most_similar(w, topn=10)],
            held_neighbours(), held, wordsim))  # fmt: skip
    return result


_NEIGHBOURS: dict = {}


def held_neighbours() -> dict:
    return _NEIGHBOURS


def run_child(function, neighbours, *args) -> dict:
    """Child process entry: install the full model's neighbours, then train."""
    _NEIGHBOURS.clear()
    _NEIGHBOURS.update(neighbours or {})
    return function(*args)


SYSTEMS = {
    "gensim 4.4.0 FastText": None,
    "skw2v subwords (shared negatives, default)": {},
    "skw2v subwords, shared_negatives=False": {"shared_negatives": False},
}


def quality_and_unseen(args, parts) -> None:
    rows, unseen_rows = [], []
    for name, extra in SYSTEMS.items():
        if name not in args.systems:
            continue
        results, unseen = [], []
        for seed in range(args.seeds):

            def call(held, neighbours, name=name, extra=extra, seed=seed):
                if extra is None:
                    fn, rest = train_gensim, ()
                else:
                    fn, rest = train_skw2v, (extra,)
                return _common.run_isolated(run_child, fn, neighbours, args.corpus, args.lines,
                                            args.threads, seed, args.questions, args.wordsim,
                                            held, *rest)  # fmt: skip

            full = call([], None)
            results.append(full)
            # progress on stderr: the published table file holds the tables only
            print(name, seed, {k: v for k, v in full.items()
                               if k not in ("neighbours", "held")}, file=sys.stderr)  # fmt: skip
            if "unseen" in parts:
                part = call(full["held"], full["neighbours"])
                unseen.append(part)
                print(name, seed, "held out", part, file=sys.stderr)
        rows.append([name] + [_common.summary([r[k] for r in results])
                              for k in ("analogy", "semantic", "syntactic", "wordsim")]
                    + [f"{np.median([r['seconds'] for r in results]):.1f}"])  # fmt: skip
        if unseen:
            unseen_rows.append([name, str(len(results[0]["held"])), str(unseen[0]["pairs"]),
                                _common.summary([u["spearman"] for u in unseen]),
                                _common.summary([u["overlap"] for u in unseen])])  # fmt: skip
    gensim_seconds = next((float(r[-1]) for r in rows if r[0].startswith("gensim")), None)
    for row in rows:
        row.append(f"{gensim_seconds / float(row[-1]):.2f}" if gensim_seconds else "")
    lines = f"first {args.lines:,} lines" if args.lines else "full corpus"
    _common.print_table(
        f"Skip-gram with n-grams {NGRAMS}, {BUCKETS:,} buckets, {args.threads} threads, "
        f"{lines}, {args.seeds} seed(s); gensim's evaluator",
        ["system", "analogy", "semantic", "syntactic", "WordSim-353", "fit s (median)",
         "gensim s / this s"],
        rows,
    )  # fmt: skip
    if unseen_rows:
        _common.print_table(
            f"Unseen words: every token of {N_HELD_OUT} evaluation words removed before "
            "training; their vectors composed from n-grams",
            ["system", "held-out words", "WordSim pairs with one", "Spearman on those pairs",
             "top-10 neighbour overlap with the full-corpus model"],
            unseen_rows,
        )  # fmt: skip


# ---------------------------------------------------------------------------- KJV
def misspell(tokens: list[str], rate: float, rng: random.Random) -> list[str]:
    """Give ``rate`` of the tokens one random character edit."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for token in tokens:
        if len(token) >= 2 and rng.random() < rate:
            i = rng.randrange(len(token))
            kind = rng.randrange(4)
            if kind == 0:
                token = token[:i] + token[i + 1 :]
            elif kind == 1:
                token = token[:i] + rng.choice(letters) + token[i:]
            elif kind == 2:
                token = token[:i] + rng.choice(letters.replace(token[i], "")) + token[i + 1 :]
            else:
                i = min(i, len(token) - 2)
                token = token[:i] + token[i + 1] + token[i] + token[i + 2 :]
        out.append(token)
    return out


class GensimFastTextMean:
    """gensim's FastText (skip-gram, same parameters) with mean pooling of ``wv[token]``
    over every token (unseen ones composed from n-grams), as a scikit-learn transformer."""

    def __init__(self, threads: int = 2, seed: int = 0) -> None:
        self.threads = threads
        self.seed = seed

    def get_params(self, deep=True):
        return {"threads": self.threads, "seed": self.seed}

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def fit(self, X, y=None):
        from gensim.models import FastText

        self.model_ = FastText(sentences=list(X), sg=1, min_n=NGRAMS[0], max_n=NGRAMS[1],
                               bucket=BUCKETS, workers=self.threads, seed=self.seed,
                               **PARAMS)  # fmt: skip
        return self

    def transform(self, X):
        wv = self.model_.wv
        out = np.zeros((len(X), wv.vector_size), dtype=np.float32)
        for i, doc in enumerate(X):
            if doc:
                out[i] = np.mean([wv[token] for token in doc], axis=0)
        return out


def kjv(args) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skw2v import Word2VecTransformer
    from skw2v.datasets import load_kjv

    data = load_kjv()
    docs = data.data
    rng = random.Random(0)
    noisy = [misspell(doc, 0.10, rng) for doc in docs]
    changed = sum(a != b for d, n in zip(docs, noisy) for a, b in zip(d, n))
    total = sum(len(d) for d in docs)
    for task, y in (("testament", data.testament), ("book group", data.book_group)):
        cv = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=0)
        table = []
        systems = {
            "Word2VecTransformer(subwords=None)": lambda: Word2VecTransformer(
                subwords=None, n_jobs=args.threads, random_state=0),
            f"Word2VecTransformer(subwords={NGRAMS})": lambda: Word2VecTransformer(
                subwords=NGRAMS, n_jobs=args.threads, random_state=0),
            f"Word2VecTransformer(subwords={NGRAMS}, shared_negatives=False)": lambda: (
                Word2VecTransformer(subwords=NGRAMS, shared_negatives=False,
                                    n_jobs=args.threads, random_state=0)),
            "gensim 4.4.0 FastText, mean of wv[token]": lambda: GensimFastTextMean(
                args.threads, 0),
        }  # fmt: skip
        for label, embedding in systems.items():
            clean, dirty, seconds = [], [], []
            for train, test in cv.split(docs, y):
                tic = time.perf_counter()
                model = make_pipeline(embedding(), StandardScaler(),
                                      LogisticRegression(C=10, max_iter=3000))  # fmt: skip
                model.fit([docs[i] for i in train], y[train])
                clean.append(model.score([docs[i] for i in test], y[test]))
                dirty.append(model.score([noisy[i] for i in test], y[test]))
                seconds.append(time.perf_counter() - tic)
            table.append([f"{label} + LogisticRegression",
                          f"{np.mean(clean):.4f} ± {np.std(clean):.4f}",
                          f"{np.mean(dirty):.4f} ± {np.std(dirty):.4f}",
                          f"{np.mean(dirty) - np.mean(clean):+.4f}",
                          f"{np.mean(seconds):.1f}"])  # fmt: skip
        _common.print_table(
            f"KJV verses, {task}: {args.folds}-fold accuracy on clean test verses and on the "
            f"same verses with {changed:,} of {total:,} tokens ({changed / total:.1%}) "
            "misspelled (one character edit)",
            ["model", "clean", "misspelled", "change", "s / fold"],
            table,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--questions", default=str(_common.DEFAULT_QUESTIONS))
    parser.add_argument("--wordsim", default=str(_common.DEFAULT_WORDSIM))
    parser.add_argument("--lines", type=int, default=0, help="first N lines (0: all)")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--parts", nargs="*", default=["quality", "unseen", "kjv"])
    parser.add_argument("--systems", nargs="*", default=list(SYSTEMS))
    args = parser.parse_args()
    args.lines = args.lines or None
    if "quality" in args.parts or "unseen" in args.parts:
        with _common.published("subwords-quality", enabled=_common.publishing()):
            quality_and_unseen(args, args.parts)
    if "kjv" in args.parts:
        with _common.published("subwords-kjv", enabled=_common.publishing()):
            kjv(args)


if __name__ == "__main__":
    main()
