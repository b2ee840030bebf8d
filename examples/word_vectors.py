"""
Word vectors: train, query, evaluate, save in word2vec format, reuse in a pipeline
==================================================================================

python examples/word_vectors.py
"""

import tempfile
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from skw2v import Word2VecTransformer, WordVectors, WordVectorsTransformer
from skw2v.datasets import load_kjv

kjv = load_kjv()
wv = Word2VecTransformer(n_jobs=-1, random_state=0).fit(kjv.data).wv_
print(wv)
print("king - man + woman:", wv.most_similar(positive=["king", "woman"], negative=["man"], topn=3))
print(
    "3CosMul:           ",
    wv.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=3),
)
print(
    "odd one out of father, mother, son, camel:",
    wv.doesnt_match(["father", "mother", "son", "camel"]),
)
print(
    "n_similarity([god, lord], [bread, wine]):",
    round(wv.n_similarity(["god", "lord"], ["bread", "wine"]), 3),
)

analogies = [
    ": family",
    "father son mother daughter",
    "brother sister man woman",
    "king queen man woman",
]
accuracy, _ = wv.evaluate_analogies(analogies)
print("accuracy on 3 family analogies:", accuracy)

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "kjv-vectors.bin"
    wv.save_word2vec_format(path, binary=True, fvocab=Path(tmp) / "kjv-vocab.txt")
    print(f"saved {path.stat().st_size:,} bytes")
    loaded = WordVectors.load_word2vec_format(path, binary=True, fvocab=Path(tmp) / "kjv-vocab.txt")
    assert loaded.index_to_key == wv.index_to_key and (loaded.vectors == wv.vectors).all()

    pipe = make_pipeline(
        WordVectorsTransformer(path, binary=True), LogisticRegression(max_iter=1000)
    )
    scores = cross_val_score(pipe, kjv.data, kjv.testament, cv=3)
    print(f"testament from frozen vectors, 3-fold accuracy: {scores.mean():.3f}")
