"""
Where embeddings help: few labelled documents
=============================================

Word vectors can learn from all the text there is, labelled or not; a TF-IDF classifier
learns only from the labelled documents. With few labels the embedding's knowledge
matters most. Here the word vectors are trained once on every verse of the King James
Bible (no labels), then each classifier sees ``n`` labelled verses and predicts the book
group (7 classes) of 6,000 held-out verses, for ``n`` from 50 to 12,000: TF-IDF alone,
mean word vectors alone, and their union.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from skw2v import Word2VecTransformer, WordVectorsTransformer
from skw2v.datasets import load_kjv

kjv = load_kjv()
y = kjv.book_group
w2v = Word2VecTransformer(epochs=5, n_jobs=-1, random_state=0).fit(kjv.data)  # no labels


def identity(tokens):
    return tokens


def models():
    embedding = WordVectorsTransformer(w2v.wv_, normalize=True)  # frozen, pretrained
    return {
        "TF-IDF": make_pipeline(TfidfVectorizer(analyzer=identity),
                                LogisticRegression(C=10, max_iter=2000)),
        "word vectors": make_pipeline(embedding, LogisticRegression(C=10, max_iter=2000)),
        "TF-IDF + word vectors": make_pipeline(
            FeatureUnion([("tfidf", TfidfVectorizer(analyzer=identity)),
                          ("w2v", WordVectorsTransformer(w2v.wv_, normalize=True))]),
            LogisticRegression(C=10, max_iter=2000)),
    }  # fmt: skip


rng = np.random.RandomState(0)
order = rng.permutation(len(kjv.data))
test, pool = order[:6000], order[6000:]
X_test = [kjv.data[i] for i in test]
sizes = [50, 100, 200, 500, 1000, 3000, 12000]
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
ax.set_ylabel("accuracy on 6,000 held-out verses")
ax.set_title("Book group of a verse (7 classes)")
ax.legend()
plt.show()
