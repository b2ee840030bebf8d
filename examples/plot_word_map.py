"""
A map of word vectors
=====================

Train word vectors on the King James Bible, project a few groups of words to two
dimensions with PCA, and label them: words of a kind land near each other.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import PCA

from skw2v import Word2VecTransformer
from skw2v.datasets import load_kjv

w2v = Word2VecTransformer(epochs=5, n_jobs=-1, random_state=0).fit(load_kjv().data)

groups = {
    "family": ["father", "mother", "son", "daughter", "brother", "sister", "wife"],
    "animals": ["sheep", "goats", "oxen", "camels", "lambs", "bullocks", "rams"],
    "kings": ["david", "solomon", "saul", "ahab", "hezekiah", "jehoshaphat", "josiah"],
    "numbers": ["two", "three", "four", "five", "six", "seven", "ten"],
    "body": ["hand", "eyes", "head", "feet", "mouth", "ears", "heart"],
}
words = [word for members in groups.values() for word in members]
points = PCA(n_components=2, random_state=0).fit_transform(
    np.array([w2v.wv_[word] for word in words])
)

fig, ax = plt.subplots(figsize=(7, 6))
start = 0
for name, members in groups.items():
    block = points[start : start + len(members)]
    ax.scatter(block[:, 0], block[:, 1], label=name)
    for i, (word, (x, y)) in enumerate(zip(members, block)):
        # alternate the labels above and below their points: fewer overlaps
        ax.annotate(word, (x, y), fontsize=8, xytext=(3, 4 if i % 2 == 0 else -10),
                    textcoords="offset points")  # fmt: skip
    start += len(members)
ax.set_title("Word vectors of the King James Bible, PCA to 2-D")
ax.set_xlabel("first principal component")
ax.set_ylabel("second principal component")
ax.legend()
fig.tight_layout()
plt.show()

# %%
# The nearest neighbours tell the same story in the full 100 dimensions.
for word in ("sheep", "david", "seven"):
    print(word, "->", ", ".join(w for w, _ in w2v.wv_.most_similar(word, topn=5)))
