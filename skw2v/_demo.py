"""``python -m skw2v demo``: train on the bundled King James Bible and use the vectors."""

from __future__ import annotations

import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from ._transformer import Word2VecTransformer
from .datasets import load_kjv

QUERY_WORDS = ("god", "king", "water", "sword", "jesus", "sin")


def _identity(tokens):
    return tokens


def run_demo(n_jobs: int = -1, seed: int = 0) -> None:
    """Train word vectors, print neighbours, cross-validate a classifier pipeline."""
    kjv = load_kjv()
    n_tokens = sum(map(len, kjv.data))
    print(f"King James Bible: {len(kjv.data):,} verses, {n_tokens:,} tokens.\n", flush=True)

    print("1. Word vectors (skip-gram, negative sampling, 100 dimensions, 5 epochs)", flush=True)
    w2v = Word2VecTransformer(n_jobs=n_jobs, random_state=seed, verbose=1)
    tic = time.perf_counter()
    w2v.fit(kjv.data)
    print(
        f"   fit in {time.perf_counter() - tic:.1f} s (training epochs "
        f"{w2v.training_seconds_:.1f} s); {len(w2v.wv_):,} words kept\n",
        flush=True,
    )
    for word in QUERY_WORDS:
        neighbours = ", ".join(f"{w} {s:.2f}" for w, s in w2v.wv_.most_similar(word, topn=6))
        print(f"   {word:>6}: {neighbours}", flush=True)

    print("\n2. Predict the book group of a verse (7 classes), 3-fold cross-validation", flush=True)
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
    y = kjv.book_group
    candidates = {
        "Word2VecTransformer + LogisticRegression": make_pipeline(
            Word2VecTransformer(n_jobs=n_jobs, random_state=seed),
            LogisticRegression(max_iter=1000),
        ),
        "TfidfVectorizer + LogisticRegression": make_pipeline(
            TfidfVectorizer(analyzer=_identity), LogisticRegression(max_iter=1000)
        ),
    }
    for name, pipeline in candidates.items():
        tic = time.perf_counter()
        scores = cross_val_score(pipeline, kjv.data, y, cv=cv)
        seconds = time.perf_counter() - tic
        print(
            f"   {name:<42} accuracy {np.mean(scores):.3f} ± {np.std(scores):.3f}  "
            f"({seconds:.1f} s)"
        )
    print(f"   (majority class: {np.mean(y == 'history'):.3f})", flush=True)
