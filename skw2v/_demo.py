"""``python -m skw2v demo``: train on the bundled King James Bible and use the vectors."""

from __future__ import annotations

import time

import numpy as np
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import FeatureUnion, make_pipeline

from ._classifier import FastTextClassifier
from ._pretrained import WordVectorsTransformer
from ._transformer import Word2VecTransformer
from .datasets import load_kjv

QUERY_WORDS = ("god", "king", "water", "sword", "jesus", "sin")
FEW_LABELS = 200
HELD_OUT = 6000


def _identity(tokens):
    return tokens


def run_demo(n_jobs: int = -1, seed: int = 0) -> None:
    """Train word vectors, print neighbours, compare TF-IDF, word vectors and their union
    as classifier features with all labels and with few."""
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

    print("\n2. Predict the book group of a verse (7 classes), 3-fold cross-validation",
          flush=True)  # fmt: skip
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
    y = kjv.book_group

    def classifier():
        return LogisticRegression(max_iter=1000)

    def embedding():
        return Word2VecTransformer(n_jobs=n_jobs, random_state=seed, normalize=True)

    candidates = {
        "TF-IDF": make_pipeline(TfidfVectorizer(analyzer=_identity), classifier()),
        "word vectors (Word2VecTransformer)": make_pipeline(embedding(), classifier()),
        "TF-IDF + word vectors (FeatureUnion)": make_pipeline(
            FeatureUnion([("tfidf", TfidfVectorizer(analyzer=_identity)), ("w2v", embedding())]),
            classifier(),
        ),
        "FastTextClassifier (supervised fastText)": FastTextClassifier(
            n_jobs=n_jobs, random_state=seed
        ),
    }
    for name, pipeline in candidates.items():
        print(f"   {name:<40} ", end="", flush=True)  # the row shows while it runs
        tic = time.perf_counter()
        scores = cross_val_score(pipeline, kjv.data, y, cv=cv)
        print(f"accuracy {np.mean(scores):.3f} ± {np.std(scores):.3f}  "
              f"({time.perf_counter() - tic:.1f} s)", flush=True)  # fmt: skip
    print(f"   (majority class: {np.mean(y == 'history'):.3f})", flush=True)

    print(
        f"\n3. Few labels: {FEW_LABELS} labelled verses, {HELD_OUT:,} held-out verses; the "
        "word vectors of part 1\n   learned from all the text, without labels",
        flush=True,
    )
    order = np.random.RandomState(seed).permutation(len(kjv.data))
    test, train = order[:HELD_OUT], order[HELD_OUT : HELD_OUT + FEW_LABELS]
    pretrained = WordVectorsTransformer(w2v.wv_, normalize=True)
    few = {
        "TF-IDF": make_pipeline(TfidfVectorizer(analyzer=_identity), classifier()),
        "word vectors (pretrained)": make_pipeline(pretrained, classifier()),
        "TF-IDF + word vectors": make_pipeline(
            FeatureUnion([("tfidf", TfidfVectorizer(analyzer=_identity)),
                          ("w2v", clone(pretrained))]),
            classifier(),
        ),
        "FastTextClassifier (25 epochs)": FastTextClassifier(epochs=25, n_jobs=n_jobs,
                                                             random_state=seed),
        "FastTextClassifier (pretrained=part 1)": FastTextClassifier(
            epochs=25, pretrained=w2v, n_jobs=n_jobs, random_state=seed),
    }  # fmt: skip
    for name, pipeline in few.items():
        print(f"   {name:<40} ", end="", flush=True)
        pipeline.fit([kjv.data[i] for i in train], y[train])
        accuracy = np.mean(pipeline.predict([kjv.data[i] for i in test]) == y[test])
        print(f"accuracy {accuracy:.3f}", flush=True)
    print(
        "   With many labels TF-IDF and the supervised classifier are close; with few, the\n"
        "   word vectors carry what the unlabelled text taught them, as features or as the\n"
        "   start of the supervised classifier. Learning curves: the documentation's gallery\n"
        "   (examples/plot_learning_curve.py, examples/plot_classifier_pretrained.py).",
        flush=True,
    )
