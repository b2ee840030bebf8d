"""``Doc2VecTransformer``: paragraph vectors (PV-DBOW, PV-DM) as a scikit-learn
transformer, with compiled, deterministic inference."""

from __future__ import annotations

import os
from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base import TextTransformerMixin
from ._estimator import TrainedModel, document_parameters
from ._kernels.words import Model
from ._state import InconsistentStateError, check_array, check_kernel_indices, inconsistent
from ._training import driver
from ._training.corpus import TokenLookup, encode
from ._training.inference import infer_vectors, inference_seed
from ._training.threads import resolve_threads
from ._training.vocab import Vocabulary
from ._vectors import WordVectors, check_word_vectors


@document_parameters
class Doc2VecTransformer(TextTransformerMixin, TrainedModel):
    """Learn paragraph vectors (doc2vec); infer a vector for any document.

    ``fit`` learns a vector per training document (``document_vectors_``) together with
    the output weights (and, for PV-DM or with ``train_words``, word vectors) in a
    compiled numba kernel: PV-DBOW (the default), where a document's vector predicts each
    of its words, or PV-DM, where the mean of the document's vector and a window of
    context words predicts the centre word (Le & Mikolov 2014). ``transform`` *infers* a
    vector for every document it is given, training documents included, by training that
    vector alone against the frozen model, in a parallel compiled kernel.

    Inference is deterministic: a document's vector depends only on its words, the fitted
    model and ``random_state`` (see there), never on the other documents of the batch,
    its position or ``n_jobs``.

    Parameters
    ----------
    {vector_size}
    mode : {"dbow", "dm"}, default="dbow"
        ``"dbow"``: PV-DBOW (gensim's ``dm=0``); ``"dm"``: PV-DM with the mean of the
        document and context vectors (gensim's ``dm=1, dm_mean=1``). gensim's default is
        PV-DM; PV-DBOW trains and infers faster, but on the KJV benchmark PV-DM's
        vectors classified 0.013-0.018 better (``docs/doc2vec.md``): grid-search both.
    train_words : bool, default=False
        PV-DBOW only: also train word vectors with skip-gram, interleaved with the
        document vectors (gensim's ``dbow_words=1``), so that ``wv_`` holds word vectors in
        the same space. PV-DM always trains word vectors.
    {window}
        Used by PV-DM, and by PV-DBOW's word training.
    {min_count}
    {sample}
        Applies to training and inference.
    {objective}
    {negative}
    {ns_exponent}
    {alpha}
        Training and inference start from it.
    {min_alpha}
        Inference decays from ``alpha`` in its first pass to ``min_alpha`` in its last, as
        gensim's ``infer_vector``.
    {epochs}
    infer_epochs : int or None, default=None
        Passes over each document in ``transform``; ``None`` means ``epochs``.
    {shrink_windows}
    {shared_negatives}
        Only PV-DBOW's word training (``train_words``) has such pairs.
    {compute_loss}
    {n_jobs}
        Inference is bitwise reproducible whatever the threads.
    {random_state}
        Inference is seeded too: an int gives the same vectors on every call; ``None`` a
        fixed seed (also the same vectors on every call); a ``RandomState`` instance a new
        draw per ``transform`` call.
    {verbose}
    {analyzer}
    {memory}
    {corpus_storage}
    {temp_folder}

    Attributes
    ----------
    document_vectors_ : ndarray of shape (n_documents, vector_size), float32
        The trained vectors of the training documents, in order (zeros for a document
        without vocabulary words). ``transform`` infers vectors instead (see Notes).
    wv_ : WordVectors
        The word vectors, when words are trained (PV-DM, or PV-DBOW with
        ``train_words``); not set otherwise.
    vocabulary_ : dict of str to int
        Word to index, most frequent word first.
    word_counts_ : ndarray of shape (n_words,), int64
        Each vocabulary word's count in the training documents (subsampling and noise
        distribution for inference).
    output_vectors_ : ndarray of shape (n_outputs, vector_size), float32
        The output weights: one row per word (negative sampling) or per inner node of the
        Huffman tree (hierarchical softmax).
    n_training_words_ : int
        In-vocabulary tokens of the training documents (one epoch).
    effective_words_ : list of int
        Words trained per epoch after subsampling.
    training_seconds_ : float
        Wall time of the training epochs.
    loss_history_ : list of float or None
        Per epoch, the mean loss per example (a predicted word); None without
        ``compute_loss``.

    See Also
    --------
    Word2VecTransformer : Word vectors pooled into document vectors.

    Notes
    -----
    ``fit_transform(X)`` equals ``fit(X).transform(X)``: the training documents' vectors
    are inferred like any other's, so that training and test documents are featurized
    the same way; the vectors learned during training are in ``document_vectors_``.
    ``docs/doc2vec.md`` compares both as classifier features.

    Examples
    --------
    >>> from skw2v import Doc2VecTransformer
    >>> docs = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "ran"]] * 50
    >>> d2v = Doc2VecTransformer(vector_size=8, min_count=1, n_jobs=1, random_state=0)
    >>> X = d2v.fit_transform(docs)
    >>> X.shape
    (100, 8)
    >>> bool((d2v.transform(docs[:1]) == X[:1]).all())
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **TrainedModel._parameter_constraints,
        "mode": [StrOptions(set(driver.DOCUMENT_MODES))],
        "train_words": ["boolean"],
        "infer_epochs": [None, Interval(Integral, 1, driver.MAX_EPOCHS, closed="both")],
    }

    #: ``infer_epochs`` only changes inference: a grid over it trains once with ``memory``.
    _non_training_parameters: ClassVar[frozenset] = TrainedModel._non_training_parameters | {
        "infer_epochs"
    }

    def __init__(
        self,
        *,
        vector_size: int = 100,
        mode: str = "dbow",
        train_words: bool = False,
        window: int = 5,
        min_count: int = 5,
        sample: float = 1e-3,
        objective: str = "negative_sampling",
        negative: int = 5,
        ns_exponent: float = 0.75,
        alpha: float = 0.025,
        min_alpha: float = 1e-4,
        epochs: int = 10,
        infer_epochs: int | None = None,
        shrink_windows: bool = True,
        shared_negatives: bool = True,
        compute_loss: bool = True,
        n_jobs: int | None = None,
        random_state=None,
        verbose: int = 0,
        analyzer=None,
        memory=None,
        corpus_storage: str = "auto",
        temp_folder: str | os.PathLike | None = None,
    ) -> None:
        self._store_parameters(locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None) -> Doc2VecTransformer:
        """Learn the vocabulary, the model and the training documents' vectors.

        Parameters
        ----------
        X : iterable of documents
            Training documents: lists of string tokens, or raw strings with
            ``analyzer``. A one-shot generator is read exactly once.
        y : None
            Ignored.

        Returns
        -------
        self : Doc2VecTransformer
            The fitted transformer.
        """
        driver.check_modes(self._parameters())
        n_threads = resolve_threads(self.n_jobs)
        with self._storage(X) as storage:
            vocabulary, corpus = self._read_corpus(X, storage, n_threads)
            trained = self._train(driver.train_document_vectors, vocabulary, corpus,
                                  n_threads)  # fmt: skip
            self._set_report(trained, corpus)
        self.document_vectors_ = trained.docs
        self.vocabulary_ = {word: i for i, word in enumerate(vocabulary.words)}
        self.word_counts_ = vocabulary.counts
        self.output_vectors_ = trained.syn1
        if driver.trains_words(self._parameters()):
            self.wv_ = WordVectors(trained.syn0, vocabulary.words, vocabulary.counts)
        elif hasattr(self, "wv_"):
            del self.wv_
        return self

    def transform(self, X) -> np.ndarray:
        """Infer a vector for each document, with the fitted model frozen.

        Each document's vector starts at zero and is trained alone for ``infer_epochs``
        passes (``epochs`` when None), the learning rate falling from ``alpha`` to
        ``min_alpha``; words outside the vocabulary are skipped, and a document without
        vocabulary words gets zeros. ``window``, ``negative``, ``sample``, ``alpha``,
        ``min_alpha``, ``infer_epochs`` and ``random_state`` may be changed after
        ``fit`` (as gensim's ``infer_vector`` arguments); parameters that shape the model
        may not.

        Parameters
        ----------
        X : iterable of documents
            Lists of string tokens (``analyzer=None``) or raw strings (``analyzer``).

        Returns
        -------
        X_new : ndarray of shape (n_documents, vector_size), float32
            The inferred document vectors.
        """
        check_is_fitted(self, "document_vectors_")
        # inference parameters may change after fit: checked as fit checks them
        self._validate_params()
        params = self._parameters()
        driver.check_modes(params)
        self._check_state(params, full=False)
        lookup, tables = self._inference_tables(params)
        corpus = encode(self._documents(X, materialize=False), lookup)
        check_kernel_indices(corpus.ids, self.word_counts_.shape[0],
                             "Doc2VecTransformer.transform")  # fmt: skip
        syn0 = self.wv_.vectors if params["mode"] == "dm" else self.output_vectors_[:1]
        epochs = self.epochs if self.infer_epochs is None else self.infer_epochs
        vectors = infer_vectors(
            corpus, Model(syn0, self.output_vectors_), tables, params,
            epochs, inference_seed(self.random_state), resolve_threads(self.n_jobs),
        )  # fmt: skip
        driver.check_finite(vectors, params["alpha"], "Inference")
        return vectors

    def _inference_tables(self, params: dict):
        """The token lookup and the sampling tables of ``transform``, built once per
        fitted model and table parameters (``objective``, ``sample``, ``ns_exponent``):
        an O(n_words) build each call (seconds for a Huffman tree of a million words)
        would dominate transforming a few documents at a time. Not pickled."""
        key = (params["objective"], float(params["sample"]), float(params["ns_exponent"]))
        cached = self.__dict__.get("_tables_cache")
        if (cached is None or cached[0] != key or cached[1] is not self.vocabulary_
                or cached[2] is not self.word_counts_):  # fmt: skip
            vocabulary = Vocabulary(list(self.vocabulary_), self.word_counts_)
            cached = (key, self.vocabulary_, self.word_counts_, TokenLookup(self.vocabulary_),
                      driver.sampling_tables(vocabulary, params))  # fmt: skip
            self._tables_cache = cached
        return cached[3], cached[4]

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_tables_cache", None)
        return state

    def _parameters(self) -> dict:
        """The parameters the training and inference code reads."""
        return self.get_params(deep=False)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        if "document_vectors_" in self.__dict__:
            self._check_state(self.get_params(deep=False), full=True)

    def _check_state(self, params: dict, *, full: bool) -> None:
        """Refuse fitted arrays that do not fit together or the current parameters (a
        tampered file, or a parameter that shapes the model changed after ``fit``)."""
        owner = type(self).__name__

        def fail(problem: str) -> InconsistentStateError:
            return inconsistent(owner, problem)

        dim = params["vector_size"]
        for name in ("document_vectors_", "output_vectors_"):
            check_array(owner, name, getattr(self, name, None), np.float32, 2, (None, dim))
        counts = self.word_counts_
        check_array(owner, "word_counts_", counts, np.int64, 1)
        if counts.shape[0] == 0 or int(counts.min()) < 1:
            raise fail("word_counts_ holds no count, or a count below 1")
        n_words = counts.shape[0]
        if not isinstance(self.vocabulary_, dict) or len(self.vocabulary_) != n_words:
            raise fail(f"vocabulary_ does not map {n_words} words")
        if full and sorted(self.vocabulary_.values()) != list(range(n_words)):
            raise fail("vocabulary_ does not map the words to 0..n_words - 1")
        objective = driver.OBJECTIVES[params["objective"]]
        if self.output_vectors_.shape[0] != objective.output_rows(n_words):
            raise fail(f"output_vectors_ has {self.output_vectors_.shape[0]} rows for "
                       f"{n_words} words and objective={params['objective']!r}")  # fmt: skip
        wv = getattr(self, "wv_", None)
        if params["mode"] == "dm" and wv is None:
            raise fail("mode='dm' needs word vectors, and this model has none")
        if wv is not None:
            if not isinstance(wv, WordVectors):
                raise fail(f"wv_ is a {type(wv).__name__}, not a WordVectors")
            if full:
                check_word_vectors(wv, f"{owner}.wv_")
            check_array(owner, "wv_.vectors", wv.vectors, np.float32, 2, (n_words, dim))

    @property
    def _n_features_out(self) -> int:
        return self.document_vectors_.shape[1]
