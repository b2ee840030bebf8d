"""
Supervised fastText with pretrained word vectors, as labels grow
================================================================

:class:`~skw2v.FastTextClassifier` learns its word vectors from the labels. With few
labels it can start from vectors learned on all the text there is, labelled or not
(``pretrained=``, fastText's ``-pretrainedVectors``). Here a
:class:`~skw2v.Word2VecTransformer` learns word vectors from every verse of the King James
Bible (no labels); then each classifier sees ``n`` labelled verses and predicts the book
group (7 classes) of 5,000 held-out verses: TF-IDF with logistic regression, the
supervised classifier from scratch, and the supervised classifier started from the
pretrained vectors (25 epochs each: small training sets need more passes than fastText's
default 5).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skw2v import FastTextClassifier, Word2VecTransformer
from skw2v.datasets import load_kjv

kjv = load_kjv()
y = np.asarray(kjv.book_group)
w2v = Word2VecTransformer(n_jobs=-1, random_state=0).fit(kjv.data)  # no labels


def identity(tokens):
    return tokens


def models():
    return {
        "TF-IDF + logistic regression": make_pipeline(
            TfidfVectorizer(analyzer=identity), LogisticRegression(max_iter=1000)
        ),
        "FastTextClassifier": FastTextClassifier(epochs=25, n_jobs=-1, random_state=0),
        "FastTextClassifier(pretrained=w2v)": FastTextClassifier(
            epochs=25, pretrained=w2v, n_jobs=-1, random_state=0
        ),
    }


order = np.random.RandomState(0).permutation(len(kjv.data))
test, pool = order[:5000], order[5000:]
X_test = [kjv.data[i] for i in test]
sizes = [100, 300, 1000, 3000, 10000, 26000]
curves = {name: [] for name in models()}
for n in sizes:
    train = pool[:n]
    for name, model in models().items():
        model.fit([kjv.data[i] for i in train], y[train])
        curves[name].append(float(np.mean(model.predict(X_test) == y[test])))
    print(f"{n:>6} labels: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in curves.items()))

fig, ax = plt.subplots(figsize=(7, 4))
for name, scores in curves.items():
    ax.plot(sizes, scores, marker="o", label=name)
ax.set_xscale("log")
ax.set_xlabel("labelled verses")
ax.set_ylabel("accuracy on 5,000 held-out verses")
ax.set_title("Book group of a verse (7 classes)")
ax.legend()
plt.show()
