"""What every skw2v document transformer shares: parameters and code that turn documents
into pooled vectors."""

from __future__ import annotations

from collections.abc import Iterator
from numbers import Real

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._pooling import (
    EMPTY_POLICIES,
    POOLINGS,
    PoolingState,
    document_vectors,
    fit_pooling,
    pool_encoded,
    with_unseen_rows,
)
from ._state import check_array, inconsistent
from ._subword_vectors import SubwordVectors
from ._training.corpus import EncodedCorpus, analyzed_documents
from ._training.threads import resolve_threads
from ._vectors import WordVectors, check_word_vectors

#: Constraints of the parameters every document transformer has.
POOLING_CONSTRAINTS: dict = {
    "pooling": [StrOptions(set(POOLINGS))],
    "sif_alpha": [Interval(Real, 0, None, closed="neither")],
    "normalize": ["boolean"],
    "empty": [StrOptions(set(EMPTY_POLICIES))],
    "analyzer": [None, StrOptions({"word"}), callable],
}

POOLING_PARAMETERS_DOC = """    pooling : {"mean", "sum", "max", "tfidf", "sif"}, default="mean"
        How a document's word vectors become one vector: their mean, sum or element-wise
        maximum; ``"tfidf"``, their mean weighted by smooth idf
        (``ln((1 + n) / (1 + df)) + 1``, as scikit-learn's) learned from the documents
        seen in ``fit``; ``"sif"``, Arora et al.'s smooth inverse frequency: the average
        of vectors weighted by ``sif_alpha / (sif_alpha + p(w))``, minus its projection
        on the first principal component of the ``fit`` documents' vectors.
    sif_alpha : float, default=1e-3
        The ``a`` of SIF weights.
    normalize : bool, default=False
        Scale each document vector to unit L2 norm (zero rows stay zero).
    empty : {"zeros", "nan", "error"}, default="zeros"
        What a document without any known word becomes: a row of zeros, a row of NaN, or
        a ``ValueError``."""


POOLING_ATTRIBUTES_DOC = """    fitted_pooling_ : str
        The ``pooling`` the statistics below were fitted for; ``transform`` refuses to
        run after ``pooling`` is changed without a new ``fit``.
    word_weights_ : ndarray of shape (n_words,), float32
        Per-word pooling weights (idf for ``"tfidf"``, SIF weights, else ones).
    sif_component_ : ndarray of shape (vector_size,) or None
        The principal component removed by ``pooling="sif"``."""


def fill_docstring(cls: type) -> type:
    """Insert the shared parameter and attribute descriptions into ``cls.__doc__``."""
    cls.__doc__ = cls.__doc__.replace("    {pooling_parameters}", POOLING_PARAMETERS_DOC).replace(
        "    {pooling_attributes}", POOLING_ATTRIBUTES_DOC
    )
    return cls


def check_pooling_state(estimator, *, full: bool = True) -> None:
    """What ``transform`` hands the pooling kernel fits the word vectors.

    ``full`` also checks the word vectors' vocabulary mapping word by word (at load time);
    without it the checks are O(1), for every ``transform`` (the ids the kernel then reads
    are range-checked by :func:`check_kernel_indices`).
    """
    owner = type(estimator).__name__
    if not isinstance(estimator.wv_, WordVectors):
        raise inconsistent(owner, f"wv_ is a {type(estimator.wv_).__name__}, not a WordVectors")
    if full:
        check_word_vectors(estimator.wv_, f"{owner}.wv_")
    else:
        check_array(f"{owner}.wv_", "vectors", estimator.wv_.vectors, np.float32, 2)
    n_words, dim = estimator.wv_.vectors.shape
    if estimator.fitted_pooling_ not in POOLINGS:
        raise inconsistent(owner, f"fitted_pooling_ is {estimator.fitted_pooling_!r}")
    check_array(owner, "word_weights_", estimator.word_weights_, np.float32, 1, (n_words,))
    if estimator.sif_component_ is not None:
        check_array(owner, "sif_component_", estimator.sif_component_, np.float32, 1, (dim,))


#: The documentation site; an estimator's HTML representation (in Jupyter) links to its
#: API page there, as scikit-learn's do.
DOCS_URL = "https://skw2v.readthedocs.io/en/latest"


class DocLinkMixin:
    """scikit-learn's documentation link of the HTML representation, for skw2v's
    estimators: ``{DOCS_URL}/generated/skw2v.<Class>.html`` (the API reference page)."""

    _doc_link_module = "skw2v"
    _doc_link_template = DOCS_URL + "/generated/{estimator_module}.{estimator_name}.html"


class TextTransformerMixin(DocLinkMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin):
    """What every skw2v transformer of documents shares: ``fit_transform`` that reads a
    one-shot iterator once, tags for string input, feature names ``<class>0...``, and
    the documentation link."""

    def __getattr__(self, name: str):
        # only called for attributes that do not exist: a fitted one (``wv_``) read
        # before fit says so, as scikit-learn's NotFittedError (an AttributeError too,
        # so hasattr() stays False)
        if name.endswith("_") and not name.startswith("_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet: {name} is set by "
                "fit. Call fit with appropriate arguments before using it."
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _documents(self, X, *, materialize: bool):
        """Token lists of ``X`` per ``analyzer`` (a list when ``materialize``)."""
        documents = analyzed_documents(X, self.analyzer)
        if materialize and documents is not X:
            documents = list(documents)
        return documents

    def fit_transform(self, X, y=None, **fit_params) -> np.ndarray:
        """Fit, then transform the same documents (a one-shot iterator is read once).

        Parameters
        ----------
        X : iterable of documents
            Training documents (token lists, or raw text with ``analyzer``).
        y : None
            Ignored.
        **fit_params : dict
            Ignored (scikit-learn's signature).

        Returns
        -------
        X_new : ndarray of shape (n_documents, n_features), float32
            ``fit(X).transform(X)``.
        """
        if isinstance(X, Iterator):
            X = list(X)
        return self.fit(X, y, **fit_params).transform(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags


class DocumentPoolingMixin(TextTransformerMixin):
    """``transform``, fitted pooling statistics, feature names and tags.

    Subclasses set ``wv_`` (a :class:`~skw2v.WordVectors`) in ``fit``, then call
    :meth:`_fit_pooling` with the documents seen in ``fit``; they have the parameters of
    :data:`POOLING_CONSTRAINTS`.
    """

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        if "fitted_pooling_" in self.__dict__:
            self._check_loaded_state()

    def _check_loaded_state(self) -> None:
        """Refuse a loaded estimator whose fitted arrays do not fit together."""
        check_pooling_state(self)

    def _fit_pooling(self, corpus: EncodedCorpus | None, n_threads: int) -> None:
        state = fit_pooling(
            self.pooling, self.wv_.vectors, self.wv_.counts, corpus, sif_alpha=self.sif_alpha,
            normalize=self.normalize, empty=self.empty, n_threads=n_threads,
        )  # fmt: skip
        self.fitted_pooling_ = self.pooling
        self.word_weights_ = state.weights
        self.sif_component_ = state.component

    def _pooling_state(self) -> PoolingState:
        if self.pooling != self.fitted_pooling_:
            raise ValueError(
                f"pooling changed from {self.fitted_pooling_!r} to {self.pooling!r} after "
                "fit; call fit again."
            )
        return PoolingState(self.pooling, self.word_weights_, self.sif_component_,
                            bool(self.normalize), self.empty)  # fmt: skip

    def transform(self, X) -> np.ndarray:
        """Pool each document's word vectors into one vector.

        Words outside the vocabulary are skipped, except with subword vectors
        (:class:`SubwordVectors`), which compose them from their character n-grams (a
        pooling weight is then that of the rarest vocabulary word: idf for ``"tfidf"``,
        about 1 for ``"sif"``).

        Parameters
        ----------
        X : iterable of documents
            Lists of string tokens (``analyzer=None``) or raw strings (``analyzer``).

        Returns
        -------
        X_new : ndarray of shape (n_documents, vector_size), float32
            Document vectors; see ``pooling``, ``normalize`` and ``empty``.
        """
        check_is_fitted(self, "fitted_pooling_")
        check_pooling_state(self, full=False)
        documents = self._documents(X, materialize=True)
        if isinstance(self.wv_, SubwordVectors):
            # unseen words get rows composed from their n-grams, after the vocabulary's
            corpus, vectors = self.wv_.encode_with_unseen(documents)
            state = with_unseen_rows(self._pooling_state(), vectors.shape[0])
            return pool_encoded(corpus, vectors, state, resolve_threads(self.n_jobs))
        return document_vectors(documents, self.wv_.token_lookup(), self.wv_.vectors,
                                self._pooling_state(), resolve_threads(self.n_jobs),
                                table=self.wv_.token_table)  # fmt: skip

    def _pool_encoded(self, corpus: EncodedCorpus) -> np.ndarray:
        """Document vectors of an already encoded corpus (ids of ``wv_``'s rows)."""
        return pool_encoded(corpus, self.wv_.vectors, self._pooling_state(),
                            resolve_threads(self.n_jobs))  # fmt: skip

    @property
    def _n_features_out(self) -> int:
        return self.wv_.vector_size
