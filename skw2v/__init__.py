"""skw2v: word2vec as a native scikit-learn transformer, trained by numba kernels."""

from ._classifier import FastTextClassifier
from ._doc2vec import Doc2VecTransformer
from ._pretrained import WordVectorsTransformer
from ._reader import LineCorpus
from ._subword_vectors import SubwordVectors
from ._transformer import Word2VecTransformer
from ._vectors import WordVectors

__version__ = "0.1.0"

__all__ = [
    "Doc2VecTransformer",
    "FastTextClassifier",
    "LineCorpus",
    "SubwordVectors",
    "Word2VecTransformer",
    "WordVectors",
    "WordVectorsTransformer",
    "__version__",
]
