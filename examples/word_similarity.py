"""
Train word vectors on the bundled King James Bible and query them
=================================================================

python examples/word_similarity.py
"""

from skw2v import Word2VecTransformer
from skw2v.datasets import load_kjv

w2v = Word2VecTransformer(vector_size=100, epochs=5, n_jobs=-1, random_state=0)
w2v.fit(load_kjv().data)
wv = w2v.wv_

for word in ("shepherd", "bread", "heaven"):
    print(word, "->", ", ".join(w for w, _ in wv.most_similar(word, topn=5)))

print("similarity(father, son) =", round(wv.similarity("father", "son"), 3))
print("similarity(father, bread) =", round(wv.similarity("father", "bread"), 3))
# analogy: king - man + woman
print(
    "king - man + woman ->", wv.most_similar(positive=["king", "woman"], negative=["man"], topn=3)
)
