"""
Pretrained vectors from a word2vec file in a pipeline
=====================================================

Vectors trained once are saved in word2vec.c's binary format (which gensim and
word2vec.c read too) and used, frozen, by ``WordVectorsTransformer`` in a scikit-learn
pipeline. ``limit`` keeps only the most frequent words of the file: the plot shows the
cross-validated accuracy against the number of words kept.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skw2v import Word2VecTransformer, WordVectorsTransformer
from skw2v.datasets import load_kjv

kjv = load_kjv()
w2v = Word2VecTransformer(epochs=5, n_jobs=-1, random_state=0).fit(kjv.data)

folder = tempfile.TemporaryDirectory()
path = Path(folder.name) / "kjv-vectors.bin"
w2v.wv_.save_word2vec_format(path, binary=True)
print(f"saved {len(w2v.wv_):,} vectors to {path.name} ({path.stat().st_size / 1e6:.1f} MB)")

cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
limits = [250, 1000, 3000, None]
scores = []
for limit in limits:
    pipe = make_pipeline(WordVectorsTransformer(path, binary=True, limit=limit, normalize=True),
                         LogisticRegression(C=10, max_iter=2000))  # fmt: skip
    scores.append(cross_val_score(pipe, kjv.data, kjv.testament, cv=cv).mean())
    print(f"limit={limit}: testament accuracy {scores[-1]:.3f}")
folder.cleanup()

fig, ax = plt.subplots(figsize=(6, 3.5))
labels = [f"{limit:,}" if limit else f"all {len(w2v.wv_):,}" for limit in limits]
ax.bar(labels, scores, color="tab:blue")
ax.set_ylim(0.0, 1.0)  # from zero: bar heights compare
for i, score in enumerate(scores):
    ax.text(i, score + 0.005, f"{score:.3f}", ha="center")
ax.set_xlabel("most frequent words kept from the file (limit)")
ax.set_ylabel("3-fold accuracy")
ax.set_title("Testament of a verse from pretrained vectors")
fig.tight_layout()  # keeps the x label inside the figure
plt.show()
