"""
Grid-search the pooling and the classifier together, training the embedding once per fold
=========================================================================================

python examples/grid_search_pooling.py
"""

import tempfile

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Word2VecTransformer
from skw2v.datasets import load_kjv

kjv = load_kjv()
subset = np.random.default_rng(0).choice(len(kjv.data), size=10_000, replace=False)
X = [kjv.text[i] for i in subset]  # raw text: analyzer="word" tokenizes it
y = kjv.book_group[subset]

with tempfile.TemporaryDirectory() as cache:
    pipe = make_pipeline(
        Word2VecTransformer(analyzer="word", n_jobs=-1, random_state=0, memory=cache),
        StandardScaler(),
        LogisticRegression(max_iter=3000),
    )
    grid = {
        "word2vectransformer__pooling": ["mean", "tfidf", "sif"],
        "logisticregression__C": [0.1, 1, 10],
    }
    search = GridSearchCV(pipe, grid, cv=StratifiedKFold(3, shuffle=True, random_state=0))
    search.fit(X, y)

results = search.cv_results_
for params, score in zip(results["params"], results["mean_test_score"]):
    print(
        f"pooling={params['word2vectransformer__pooling']:<5} "
        f"C={params['logisticregression__C']:<4} accuracy {score:.3f}"
    )
print("best:", search.best_params_, f"{search.best_score_:.3f}")
