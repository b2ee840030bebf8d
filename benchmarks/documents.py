"""Document classification: each skw2v pooling beside TF-IDF, 5-fold cross-validation.

    python benchmarks/documents.py [--kjv PATH] [--folds 5]

Tasks: predict a King James Bible verse's testament (2 classes) and book group (7
classes) from its words (``../shared/data/kjv-verses.tsv``, or the copy bundled with
skw2v). Embeddings are trained inside the pipeline, on the training folds only. Every
model ends in the same ``LogisticRegression(C=10)``; dense embedding features are
standardised first. The union concatenates TF-IDF and unit-normalised mean vectors.
"""

from __future__ import annotations

import argparse
import csv
import time

import _common
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Word2VecTransformer
from skw2v.datasets import BOOK_GROUPS, load_kjv, tokenize


def identity(tokens):
    return tokens


def load(path: str | None):
    if path is None:
        kjv = load_kjv()
        return kjv.data, {"testament": kjv.testament, "book group": kjv.book_group}
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    new = set(list(BOOK_GROUPS)[39:])
    docs = [tokenize(r["text"]) for r in rows]
    testament = np.array(["new" if r["book"] in new else "old" for r in rows], dtype=object)
    groups = np.array([BOOK_GROUPS[r["book"]] for r in rows], dtype=object)
    return docs, {"testament": testament, "book group": groups}


def models(seed: int) -> dict:
    def classifier():
        return LogisticRegression(C=10, max_iter=3000)

    def w2v(**params):
        return Word2VecTransformer(n_jobs=-1, random_state=seed, **params)

    rows = {"TfidfVectorizer": make_pipeline(TfidfVectorizer(analyzer=identity), classifier())}
    for pooling in ("mean", "sum", "max", "tfidf", "sif"):
        rows[f"Word2VecTransformer(pooling={pooling!r})"] = make_pipeline(
            w2v(pooling=pooling), StandardScaler(), classifier()
        )
    rows["FeatureUnion(TfidfVectorizer, Word2VecTransformer(normalize=True))"] = make_pipeline(
        FeatureUnion([("tfidf", TfidfVectorizer(analyzer=identity)),
                      ("w2v", w2v(normalize=True))]),
        classifier(),
    )  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = _common.SHARED / "kjv-verses.tsv"
    parser.add_argument("--kjv", default=str(default) if default.exists() else None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    docs, tasks = load(args.kjv)
    cv = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
    for task, y in tasks.items():
        majority = max(np.mean(y == label) for label in set(y))
        table = []
        for name, model in models(args.seed).items():
            tic = time.perf_counter()
            scores = cross_val_score(model, docs, y, cv=cv)
            seconds = time.perf_counter() - tic
            table.append([name, f"{scores.mean():.4f} ± {scores.std():.4f}",
                          f"{seconds / args.folds:.1f}"])  # fmt: skip
        _common.print_table(
            f"KJV verses, {task} ({len(set(y))} classes, {len(docs):,} verses, majority "
            f"{majority:.4f}); {args.folds}-fold accuracy, mean fit+score seconds per fold",
            ["model", "accuracy", "s / fold"],
            table,
        )


if __name__ == "__main__":
    _common.run_published(main, "documents")
