"""
Paragraph vectors (doc2vec): train, infer deterministically, classify
=====================================================================

python examples/paragraph_vectors.py
"""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Doc2VecTransformer
from skw2v.datasets import load_kjv

kjv = load_kjv()
d2v = Doc2VecTransformer(mode="dbow", n_jobs=-1, random_state=0).fit(kjv.data)

# inference is deterministic: the same verse gets the same vector alone or in a batch
alone = d2v.transform([kjv.data[0]])
batch = d2v.transform(kjv.data[:1000])
print("same vector alone and in a batch:", np.array_equal(alone[0], batch[0]))

# the verses nearest a new sentence: cosine between its inferred vector and the trained
# ones, after removing the mean vector (a direction every PV-DBOW vector shares)
mean = d2v.document_vectors_.mean(axis=0)
query = d2v.transform([["the", "lord", "is", "my", "shepherd"]])[0] - mean
trained = d2v.document_vectors_ - mean
scores = trained @ query / (np.linalg.norm(trained, axis=1) * np.linalg.norm(query) + 1e-12)
for i in np.argsort(-scores)[:3]:
    print(f"{scores[i]:.3f}  {kjv.book[i]}: {' '.join(kjv.data[i])}")

# paragraph vectors as classifier features (the model is fitted on each training fold)
pipe = make_pipeline(Doc2VecTransformer(n_jobs=-1, random_state=0), StandardScaler(),
                     LogisticRegression(max_iter=1000))  # fmt: skip
scores = cross_val_score(pipe, kjv.data, kjv.testament, cv=3)
print(f"testament, 3-fold accuracy: {scores.mean():.3f}")
