"""``WordVectorsTransformer``: document vectors from existing word vectors."""

from __future__ import annotations

import os
from numbers import Integral
from typing import ClassVar

from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval

from ._base import POOLING_CONSTRAINTS, DocumentPoolingMixin, fill_docstring
from ._estimator import document_parameters
from ._io.fasttext_format import is_facebook_file
from ._subword_vectors import SubwordVectors, check_subword_vectors, first_words_matrix
from ._training.corpus import encode
from ._training.threads import resolve_threads
from ._vectors import WordVectors, check_word_vectors


@fill_docstring
@document_parameters
class WordVectorsTransformer(DocumentPoolingMixin, BaseEstimator):
    """Turn documents into vectors with existing (pretrained, frozen) word vectors.

    Nothing is learned: ``fit`` only loads the vectors (from a :class:`WordVectors` or a
    word2vec-format file), so ``__init__`` and :func:`~sklearn.base.clone` stay cheap, and
    ``transform`` pools exactly like :class:`Word2VecTransformer` (the same code).

    Parameters
    ----------
    vectors : WordVectors, SubwordVectors, str or path-like
        The word vectors, or the path of a word2vec.c text or binary file (e.g. written
        by :meth:`WordVectors.save_word2vec_format`, gensim or word2vec.c), or of a
        Facebook fastText ``.bin`` model (recognised by its magic number; such as the
        pretrained ``cc.en.300.bin``), whose subword vectors then also represent words
        outside the vocabulary (see :class:`SubwordVectors`). A
        ``WordVectors`` is used as it is, never modified; note that
        :func:`~sklearn.base.clone` deep-copies it, while a path is cloned for free.
    binary : bool, default=False
        Whether the file at ``vectors`` is in the binary format.
    limit : int, default=None
        Read only the first ``limit`` words of the file (the most frequent, by convention;
        a fastText model keeps all its n-gram buckets).
    n_jobs : int, default=None
        Threads for pooling; ``None`` means 1 unless in a joblib context, ``-1`` all.
    {pooling_parameters}
    {analyzer}

    Attributes
    ----------
    wv_ : WordVectors
        The loaded word vectors.
    vocabulary_ : dict of str to int
        Word to row of ``wv_.vectors``.
    {pooling_attributes}

    See Also
    --------
    Word2VecTransformer : Learn the word vectors from the documents instead.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v import WordVectors, WordVectorsTransformer
    >>> wv = WordVectors(np.array([[1.0, 0.0], [0.0, 1.0]]), ["cat", "dog"])
    >>> WordVectorsTransformer(wv).fit_transform([["cat", "dog"], ["cat"], ["bird"]])
    array([[0.5, 0.5],
           [1. , 0. ],
           [0. , 0. ]], dtype=float32)
    """

    _parameter_constraints: ClassVar[dict] = {
        "vectors": [WordVectors, str, os.PathLike],
        "binary": ["boolean"],
        "limit": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
        **POOLING_CONSTRAINTS,
    }

    def __init__(
        self,
        vectors=None,
        *,
        binary: bool = False,
        limit: int | None = None,
        n_jobs: int | None = None,
        pooling: str = "mean",
        sif_alpha: float = 1e-3,
        normalize: bool = False,
        empty: str = "zeros",
        analyzer=None,
    ) -> None:
        self.vectors = vectors
        self.binary = binary
        self.limit = limit
        self.n_jobs = n_jobs
        self.pooling = pooling
        self.sif_alpha = sif_alpha
        self.normalize = normalize
        self.empty = empty
        self.analyzer = analyzer

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None) -> WordVectorsTransformer:
        """Load the word vectors; learn pooling statistics from ``X`` if it needs them.

        Parameters
        ----------
        X : iterable of documents, default=None
            Only read for ``pooling="tfidf"`` (document frequencies) and ``"sif"``
            (principal component; word frequencies too when the vectors have no counts).
        y : None
            Ignored.

        Returns
        -------
        self : WordVectorsTransformer
            The fitted transformer.
        """
        if isinstance(self.vectors, WordVectors):
            wv = self.vectors
            check_word_vectors(wv, "vectors")
            if isinstance(wv, SubwordVectors):
                check_subword_vectors(wv, "vectors")
            if self.limit is not None and self.limit < len(wv):
                wv = _first_words(wv, self.limit)
        elif is_facebook_file(self.vectors):
            wv = SubwordVectors.load_facebook_format(self.vectors, limit=self.limit)
        else:
            wv = WordVectors.load_word2vec_format(self.vectors, binary=self.binary,
                                                  limit=self.limit)  # fmt: skip
        self.wv_ = wv
        self.vocabulary_ = dict(wv.key_to_index)
        corpus = None
        if X is not None and self.pooling in ("tfidf", "sif"):
            corpus = encode(self._documents(X, materialize=True), wv.token_lookup())
        self._fit_pooling(corpus, resolve_threads(self.n_jobs))
        return self


def _first_words(wv: WordVectors, limit: int) -> WordVectors:
    """The first ``limit`` words of ``wv`` (subword vectors keep every n-gram bucket)."""
    if isinstance(wv, SubwordVectors):
        matrix = first_words_matrix(wv.input_matrix, len(wv), limit)
        return SubwordVectors(matrix, wv.index_to_key[:limit], wv.counts[:limit],
                              min_n=wv.min_n, max_n=wv.max_n)  # fmt: skip
    return WordVectors(wv.vectors[:limit], wv.index_to_key[:limit], wv.counts[:limit])
