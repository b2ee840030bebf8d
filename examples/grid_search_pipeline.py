"""
Grid-search word2vec hyper-parameters inside a classification pipeline
======================================================================

Predicts whether a King James Bible verse is from the Old or the New Testament from the
mean of its word vectors, tuning the window and the vector size by cross-validation.

    python examples/grid_search_pipeline.py
"""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from skw2v import Word2VecTransformer
from skw2v.datasets import load_kjv

kjv = load_kjv()
rng = np.random.default_rng(0)
subset = rng.choice(len(kjv.data), size=8000, replace=False)  # keep the example quick
X = [kjv.data[i] for i in subset]
y = kjv.testament[subset]

pipe = make_pipeline(
    Word2VecTransformer(epochs=5, n_jobs=-1, random_state=0),
    LogisticRegression(max_iter=1000),
)
grid = {
    "word2vectransformer__window": [2, 5],
    "word2vectransformer__vector_size": [50, 100],
}
search = GridSearchCV(pipe, grid, cv=StratifiedKFold(3, shuffle=True, random_state=0))
search.fit(X, y)

for params, score in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
    print(f"{params}: accuracy {score:.3f}")
print("best:", search.best_params_, f"{search.best_score_:.3f}")
print("majority class:", f"{np.mean(y == 'old'):.3f}")
