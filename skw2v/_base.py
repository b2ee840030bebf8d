"""What every skw2v document transformer shares: turning documents into pooled vectors."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._pooling import document_vectors
from ._threads import resolve_threads


class DocumentPoolingMixin(ClassNamePrefixFeaturesOutMixin, TransformerMixin):
    """``transform``, feature names and tags for estimators with fitted word vectors ``wv_``.

    Subclasses set ``wv_`` (a :class:`~skw2v.WordVectors`) in ``fit`` and have an
    ``n_jobs`` parameter.
    """

    def transform(self, X) -> np.ndarray:
        """Mean of each document's in-vocabulary word vectors.

        Parameters
        ----------
        X : iterable of list of str
            Documents, each a list (or tuple) of string tokens.

        Returns
        -------
        X_new : ndarray of shape (n_documents, vector_size), float32
            Document vectors; a document with no known word gives a row of zeros.
        """
        check_is_fitted(self, "wv_")
        return document_vectors(
            X, self.wv_.token_lookup(), self.wv_.vectors, resolve_threads(self.n_jobs)
        )

    @property
    def _n_features_out(self) -> int:
        return self.wv_.vector_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags
