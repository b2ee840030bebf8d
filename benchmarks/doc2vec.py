"""Paragraph vectors: skw2v's Doc2VecTransformer beside gensim's Doc2Vec, same run.

    python benchmarks/doc2vec.py [--kjv PATH] [--folds 5] [--repeats 3]
                                 [--parts speed inference cost stability accuracy]

Same parameters for both libraries (PV-DBOW and PV-DM with the mean, negative sampling,
vector_size=100, window=5, min_count=5, sample=1e-3, negative=5, 10 epochs, 2 threads),
on the King James Bible verses (``../shared/data/kjv-verses.tsv``, or the copy bundled
with skw2v):

- speed: training time on all verses (median of ``--repeats``, vocabulary included).
- inference: ``transform`` of the first 30,000 verses beside a loop of gensim's
  ``infer_vector`` over them, with the same epochs.
- cost: inference time per verse at 1, 10 and 40 epochs (PV-DBOW, skw2v on one
  thread): the cost of one more pass over a verse, and the fixed cost of a call.
- stability: for every training verse with a word, the cosine between its trained and
  its inferred vector, and between two inferences with different seeds (gensim: two
  calls of ``infer_vector``), median and 10th percentile.
- accuracy: 5-fold accuracy of ``LogisticRegression`` on the vectors, for the verse's
  testament and book group, the document model fitted on the training folds only;
  training verses featurized by inference (``fit_transform``, scikit-learn's contract)
  or by their trained vectors, test verses always by inference; plus TF-IDF, TF-IDF with
  paragraph vectors (``FeatureUnion``) and ``Word2VecTransformer`` mean pooling.
"""

from __future__ import annotations

import argparse
import statistics
import time

import _common
import numpy as np
from documents import identity, load
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Doc2VecTransformer, Word2VecTransformer

COMMON = {"vector_size": 100, "window": 5, "min_count": 5, "sample": 1e-3, "negative": 5,
          "alpha": 0.025, "min_alpha": 1e-4, "epochs": 10}  # fmt: skip
MODES = ("dbow", "dm")
THREADS = 2


def gensim_model(mode: str, seed: int):
    from gensim.models.doc2vec import Doc2Vec

    return Doc2Vec(dm=int(mode == "dm"), dm_mean=1, hs=0, workers=THREADS, seed=seed,
                   **COMMON)  # fmt: skip


def skw2v_model(mode: str, seed: int, **extra) -> Doc2VecTransformer:
    return Doc2VecTransformer(mode=mode, n_jobs=THREADS, random_state=seed, **{**COMMON, **extra})


def gensim_fit(mode: str, docs, seed: int):
    from gensim.models.doc2vec import TaggedDocument

    model = gensim_model(mode, seed)
    tagged = [TaggedDocument(doc, [i]) for i, doc in enumerate(docs)]
    model.build_vocab(tagged)
    model.train(tagged, total_examples=len(tagged), epochs=model.epochs)
    return model


class GensimDoc2Vec(TransformerMixin, BaseEstimator):
    """gensim's Doc2Vec for this benchmark only: ``fit`` trains; ``transform`` infers
    (``infer_vector`` per document); ``trained=True`` gives the training documents their
    trained vectors in ``fit_transform``."""

    def __init__(self, mode="dbow", seed=0, trained=False):
        self.mode = mode
        self.seed = seed
        self.trained = trained

    def fit(self, X, y=None):
        self.model_ = gensim_fit(self.mode, X, self.seed)
        return self

    def transform(self, X):
        return np.array([self.model_.infer_vector(doc) for doc in X], dtype=np.float32)

    def fit_transform(self, X, y=None):
        self.fit(X)
        if self.trained:
            return np.array(self.model_.dv.vectors[: len(X)], dtype=np.float32)
        return self.transform(X)


class TrainedVectors(TransformerMixin, BaseEstimator):
    """skw2v's Doc2VecTransformer with the trained vectors for the training documents in
    ``fit_transform`` (``transform`` infers)."""

    def __init__(self, model=None):
        self.model = model

    def fit(self, X, y=None):
        self.model_ = clone(self.model).fit(X)
        return self

    def transform(self, X):
        return self.model_.transform(X)

    def fit_transform(self, X, y=None):
        return self.fit(X).model_.document_vectors_


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    keep = norms > 0
    return (a[keep] * b[keep]).sum(axis=1) / norms[keep]


def part_speed(docs, seed: int, repeats: int) -> None:
    rows = []
    for mode in MODES:
        times = {"gensim": [], "skw2v": []}
        for _ in range(repeats):
            tic = time.perf_counter()
            gensim_fit(mode, docs, seed)
            times["gensim"].append(time.perf_counter() - tic)
            tic = time.perf_counter()
            skw2v_model(mode, seed).fit(docs)
            times["skw2v"].append(time.perf_counter() - tic)
        g, s = statistics.median(times["gensim"]), statistics.median(times["skw2v"])
        rows.append([mode, f"{g:.2f}", f"{s:.2f}", f"{g / s:.2f}"])
    _common.print_table(
        f"Training on {len(docs):,} verses, {THREADS} threads, 10 epochs (median of {repeats}, "
        "seconds, vocabulary included)",
        ["mode", "gensim 4.4.0 s", "skw2v s", "gensim / skw2v"], rows,
    )  # fmt: skip


def part_inference(docs, seed: int, n_docs: int) -> None:
    subset = docs[:n_docs]
    rows = []
    for mode in MODES:
        gensim = gensim_fit(mode, docs, seed)
        ours = skw2v_model(mode, seed).fit(docs)
        ours.transform(subset[:10])  # compile or load the inference kernel first
        tic = time.perf_counter()
        for doc in subset:
            gensim.infer_vector(doc)
        g = time.perf_counter() - tic
        tic = time.perf_counter()
        ours.transform(subset)
        s = time.perf_counter() - tic
        ours.set_params(n_jobs=1)
        tic = time.perf_counter()
        ours.transform(subset)
        s1 = time.perf_counter() - tic
        rows.append([mode, f"{g:.2f}", f"{s:.3f}", f"{g / s:.1f}", f"{s1:.3f}", f"{g / s1:.1f}"])
    _common.print_table(
        f"Inference of {len(subset):,} verses, 10 epochs each (seconds)",
        ["mode", "gensim infer_vector loop s", f"skw2v transform s ({THREADS} threads)",
         "ratio", "skw2v transform s (1 thread)", "ratio"], rows,
    )  # fmt: skip


def part_cost(docs, seed: int, n_docs: int = 10_000) -> None:
    """Inference time per verse at 1, 10 and 40 epochs: the slope is the cost of one
    pass over a verse, the intercept the fixed cost of a call."""
    subset = docs[:n_docs]
    gensim = gensim_fit("dbow", docs, seed)
    ours = skw2v_model("dbow", seed).fit(docs).set_params(n_jobs=1)
    rows, times = [], {}
    for epochs in (1, 10, 40):
        tic = time.perf_counter()
        for doc in subset:
            gensim.infer_vector(doc, epochs=epochs)
        g = (time.perf_counter() - tic) / len(subset) * 1e6
        ours.set_params(infer_epochs=epochs).transform(subset[:5])
        tic = time.perf_counter()
        ours.transform(subset)
        s = (time.perf_counter() - tic) / len(subset) * 1e6
        times[epochs] = (g, s)
        rows.append([epochs, f"{g:.1f}", f"{s:.1f}"])
    slope = [(times[40][i] - times[1][i]) / 39 for i in (0, 1)]
    rows.append(["one more epoch (slope)", f"{slope[0]:.2f}", f"{slope[1]:.2f}"])
    _common.print_table(
        f"PV-DBOW inference cost per verse ({len(subset):,} verses, microseconds; skw2v on "
        "1 thread)",
        ["epochs", "gensim infer_vector loop", "skw2v transform"], rows,
    )  # fmt: skip


def part_stability(docs, seed: int) -> None:
    rows = []
    for mode in MODES:
        gensim = gensim_fit(mode, docs, seed)
        first = np.array([gensim.infer_vector(doc) for doc in docs])
        second = np.array([gensim.infer_vector(doc) for doc in docs])
        trained = np.asarray(gensim.dv.vectors[: len(docs)])
        known = np.array([any(w in gensim.wv.key_to_index for w in doc) for doc in docs])
        ours = skw2v_model(mode, seed).fit(docs)
        a = ours.transform(docs)
        b = ours.set_params(random_state=seed + 1).transform(docs)
        for name, x, y in (("gensim 4.4.0", trained[known], first[known]),
                           ("skw2v", ours.document_vectors_, a)):  # fmt: skip
            c = cosines(x, y)
            rows.append([mode, name, "trained vs inferred", f"{np.median(c):.4f}",
                         f"{np.percentile(c, 10):.4f}"])  # fmt: skip
        for name, x, y in (("gensim 4.4.0", first[known], second[known]), ("skw2v", a, b)):
            c = cosines(x, y)
            rows.append([mode, name, "two inferences, different seeds", f"{np.median(c):.4f}",
                         f"{np.percentile(c, 10):.4f}"])  # fmt: skip
    _common.print_table(
        f"Inference stability on {len(docs):,} verses (cosines; verses with a vocabulary word)",
        ["mode", "library", "pair", "median", "10th percentile"], rows,
    )  # fmt: skip


def accuracy_models(seed: int) -> dict:
    def classifier():
        return LogisticRegression(C=10, max_iter=3000)

    def dense(transformer):
        return make_pipeline(transformer, StandardScaler(), classifier())

    w2v = Word2VecTransformer(n_jobs=THREADS, random_state=seed)
    rows = {"TfidfVectorizer": make_pipeline(TfidfVectorizer(analyzer=identity), classifier()),
            "Word2VecTransformer (mean)": dense(w2v)}  # fmt: skip
    for mode in MODES:
        rows[f"gensim Doc2Vec {mode}, inferred"] = dense(GensimDoc2Vec(mode, seed))
        rows[f"gensim Doc2Vec {mode}, trained"] = dense(GensimDoc2Vec(mode, seed, trained=True))
        rows[f"Doc2VecTransformer {mode}, inferred"] = dense(skw2v_model(mode, seed))
        rows[f"Doc2VecTransformer {mode}, trained"] = dense(TrainedVectors(skw2v_model(mode, seed)))
    rows["FeatureUnion(TfidfVectorizer, Doc2VecTransformer dbow)"] = make_pipeline(
        FeatureUnion([("tfidf", TfidfVectorizer(analyzer=identity)),
                      ("d2v", make_pipeline(skw2v_model("dbow", seed), StandardScaler()))]),
        classifier(),
    )  # fmt: skip
    return rows


def part_accuracy(docs, tasks, seed: int, folds: int) -> None:
    docs_array = np.empty(len(docs), dtype=object)
    docs_array[:] = docs
    for task, y in tasks.items():
        cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        rows = []
        for name, model in accuracy_models(seed).items():
            scores, tic = [], time.perf_counter()
            for train, test in cv.split(docs_array, y):
                fitted = clone(model).fit(list(docs_array[train]), y[train])
                scores.append(float(np.mean(fitted.predict(list(docs_array[test])) == y[test])))
            rows.append([name, f"{np.mean(scores):.4f} ± {np.std(scores):.4f}",
                         f"{time.perf_counter() - tic:.1f}"])  # fmt: skip
        _common.print_table(
            f"KJV {task}: {folds}-fold accuracy, LogisticRegression(C=10) "
            f"(majority {max(np.mean(y == v) for v in set(y)):.4f})",
            ["features", "accuracy (mean ± sd over folds)", "seconds (all folds)"], rows,
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = _common.SHARED / "kjv-verses.tsv"
    parser.add_argument("--kjv", default=str(default) if default.exists() else None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--inference-docs", type=int, default=30_000)
    parser.add_argument("--parts", nargs="+", default=["speed", "inference", "cost",
                                                       "stability", "accuracy"])  # fmt: skip
    args = parser.parse_args()
    docs, tasks = load(args.kjv)
    skw2v_model("dbow", 0, epochs=1).fit(docs[:200]).transform(docs[:5])  # compile first
    skw2v_model("dm", 0, epochs=1).fit(docs[:200]).transform(docs[:5])
    parts = {
        "speed": lambda: part_speed(docs, args.seed, args.repeats),
        "inference": lambda: part_inference(docs, args.seed, args.inference_docs),
        "cost": lambda: part_cost(docs, args.seed),
        "stability": lambda: part_stability(docs, args.seed),
        "accuracy": lambda: part_accuracy(docs, tasks, args.seed, args.folds),
    }
    for name, run in parts.items():
        if name in args.parts:
            # each part its own table file, so that parts can be rerun one at a time
            with _common.published(f"doc2vec-{name}", enabled=_common.publishing()):
                run()


if __name__ == "__main__":
    main()
