"""
Subword (fastText) vectors: vectors for misspelled and unseen words
===================================================================

python examples/subword_vectors.py
"""

import tempfile
from pathlib import Path

from skw2v import SubwordVectors, Word2VecTransformer
from skw2v.datasets import load_kjv

docs = load_kjv().data
# 200,000 n-gram buckets are plenty for a 13,000-word corpus (the default, 2,000,000,
# suits large ones): the input matrix takes (words + buckets) x 100 x 4 bytes.
w2v = Word2VecTransformer(subwords=(3, 6), buckets=200_000, n_jobs=-1, random_state=0)
w2v.fit(docs)
wv = w2v.wv_

for word in ("shepherd", "shepperd", "righteousnes", "kingdoms"):
    known = "in the vocabulary" if word in wv else "unseen: composed from its n-grams"
    neighbours = ", ".join(w for w, _ in wv.most_similar(word, topn=4))
    print(f"{word} ({known}) -> {neighbours}")

# unseen words count in document vectors; a word2vec model would drop them
X = w2v.transform([["the", "lord", "is", "my", "shepperd"]])
print("document vector:", X.shape)

# Facebook's .bin format: fastText and gensim read it, and so does skw2v
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "kjv.bin"
    w2v.save_facebook_model(path)
    loaded = SubwordVectors.load_facebook_format(path)
    print("reloaded:", loaded, "same vector:", bool((loaded["shepperd"] == wv["shepperd"]).all()))
