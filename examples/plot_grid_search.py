"""
Grid search over embedding parameters
=====================================

Tune the window and the vector size of ``Word2VecTransformer`` inside a classification
pipeline with ``GridSearchCV`` (predicting a verse's testament), then draw the mean
cross-validated accuracy as a heatmap.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Word2VecTransformer
from skw2v.datasets import load_kjv

kjv = load_kjv()
rng = np.random.RandomState(0)
sample = rng.choice(len(kjv.data), size=8000, replace=False)  # keeps the example quick
X = [kjv.data[i] for i in sample]
y = kjv.testament[sample]

pipe = make_pipeline(Word2VecTransformer(epochs=5, n_jobs=-1, random_state=0),
                     StandardScaler(), LogisticRegression(max_iter=1000))  # fmt: skip
windows, sizes = [2, 5, 10], [25, 50, 100]
grid = {"word2vectransformer__window": windows, "word2vectransformer__vector_size": sizes}
search = GridSearchCV(pipe, grid, cv=StratifiedKFold(3, shuffle=True, random_state=0))
search.fit(X, y)
print("best:", search.best_params_, f"accuracy {search.best_score_:.3f}")

scores = np.empty((len(windows), len(sizes)))
for params, score in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
    scores[windows.index(params["word2vectransformer__window"]),
           sizes.index(params["word2vectransformer__vector_size"])] = score  # fmt: skip

fig, ax = plt.subplots(figsize=(5, 4))
image = ax.imshow(scores, cmap="viridis")
ax.set_xticks(range(len(sizes)), labels=sizes)
ax.set_yticks(range(len(windows)), labels=windows)
ax.set_xlabel("vector_size")
ax.set_ylabel("window")
for i in range(len(windows)):
    for j in range(len(sizes)):
        ax.text(j, i, f"{scores[i, j]:.3f}", ha="center", va="center", color="w")
fig.colorbar(image, label="mean accuracy (3-fold)")
ax.set_title("Testament of a verse: grid search")
plt.show()
