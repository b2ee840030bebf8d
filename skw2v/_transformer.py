"""``Word2VecTransformer``: the scikit-learn estimator that ties corpus, vocabulary,
kernels, word vectors and pooling together."""

from __future__ import annotations

import os
from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base import POOLING_CONSTRAINTS, DocumentPoolingMixin, fill_docstring
from ._estimator import TrainedModel, document_parameters
from ._io.storage import CorpusStorage
from ._kernels.subwords import MAX_ROWS
from ._state import InconsistentStateError, check_array, inconsistent
from ._subword_vectors import SubwordVectors, facebook_model
from ._training import driver
from ._training.corpus import count_and_encode
from ._training.threads import resolve_threads
from ._training.vocab import Vocabulary, grow_vocabulary
from ._vectors import WordVectors, check_word_vectors


@fill_docstring
@document_parameters
class Word2VecTransformer(DocumentPoolingMixin, TrainedModel):
    """Learn word vectors with word2vec; pool them into document vectors.

    ``fit`` reads the documents once, builds the vocabulary, encodes the corpus into CSR
    arrays of word ids and trains word2vec in a compiled numba kernel: skip-gram (the
    default) or CBOW, with negative sampling (the default) or hierarchical softmax.
    ``transform`` pools each document's in-vocabulary word vectors into one vector (their
    mean by default; see ``pooling``).

    Parameters
    ----------
    {vector_size}
    {window}
    {min_count}
    {sample}
    {negative}
    {ns_exponent}
    {alpha}
    {min_alpha}
    {epochs}
    {shrink_windows}
    architecture : {"skipgram", "cbow"}, default="skipgram"
        Skip-gram: each context word predicts the centre word. CBOW: the mean of the
        context words' vectors predicts it (gensim's ``sg=0, cbow_mean=1``).
    {objective}
    {compute_loss}
    vectors : {"input", "input+output"}, default="input"
        The word vectors exposed in ``wv_`` and pooled: the input vectors, or the sum of
        input and output vectors (negative sampling only; hierarchical softmax has no
        output vector per word).
    {shared_negatives}
        Its quality beside gensim's per-pair training, over seeds and corpus sizes, is
        measured in ``docs/benchmarks.md``. With ``subwords``, ``True`` composes the
        centre word's subword vector once per window and updates its n-gram rows once,
        against one set of noise words per group of up to 3 context words on each side
        of the window (see the user guide's "Subword vectors").
    subwords : None or tuple of (int, int), default=None
        ``(min_n, max_n)`` trains fastText subword vectors (Bojanowski et al. 2017): a
        word's input vector is the mean of its own row and of the rows of its character
        n-grams of ``min_n`` to ``max_n`` characters of ``<word>``, each hashed (with
        fastText's hash) into one of ``buckets`` rows, and training updates all of them.
        ``wv_`` is then a :class:`SubwordVectors`, which composes vectors for unseen and
        misspelled words, and ``transform`` uses them for words outside the vocabulary.
        Skip-gram then runs in fastText's direction (the centre word predicts each
        context word). ``(3, 6)`` is fastText's default. ``None``: word vectors only.
    buckets : int, default=2_000_000
        Rows for hashed n-grams with ``subwords`` (fastText's default): the input matrix
        takes ``(n_words + buckets) x vector_size x 4`` bytes (800 MB for 2,000,000 x
        100). ``fit`` raises ``ValueError`` before allocating more than the machine's
        memory. Ignored without ``subwords``.
    {n_jobs}
    {random_state}
    {verbose}
    {pooling_parameters}
    {analyzer}
    {memory}
    {corpus_storage}
    {temp_folder}

    Attributes
    ----------
    wv_ : WordVectors or SubwordVectors
        The learned word vectors (per ``vectors``), most frequent word first (words that
        joined in a later :meth:`partial_fit` are appended); a :class:`SubwordVectors`
        with ``subwords``.
    input_vectors_ : ndarray of shape (n_words, vector_size), float32
        The input vectors (``wv_.vectors`` itself when ``vectors="input"``). With
        ``subwords``, ``n_words + buckets`` rows: the words' own rows, then the n-gram
        buckets (the same array as ``wv_.input_matrix``).
    output_vectors_ : ndarray of shape (n_outputs, vector_size), float32
        The output vectors: one per word for negative sampling, one per inner node of the
        Huffman tree for hierarchical softmax. Kept for :meth:`partial_fit`.
    n_batches_ : int
        Batches trained: 1 after :meth:`fit`, +1 per later :meth:`partial_fit`.
    rare_word_counts_ : dict of str to int
        After :meth:`partial_fit`: counts of words seen but still below ``min_count``.
    vocabulary_ : dict of str to int
        Word to row of ``wv_.vectors``.
    n_training_words_ : int
        In-vocabulary tokens of the training documents (one epoch).
    effective_words_ : list of int
        Words trained per epoch after subsampling.
    training_seconds_ : float
        Wall time of the training epochs (of the fit that trained, when cached); a
        first-use compilation of the kernel is not included.
    loss_history_ : list of float or None
        With ``compute_loss=True`` (else None): per epoch, the mean training loss per
        example (a (context, centre) pair for skip-gram, a (window, centre) for CBOW):
        ``-log sigmoid`` of the positive score plus those of the negated noise scores (or
        of the Huffman path's scores), summed in float64 per chunk of work, so no update
        is lost between threads. Each example is scored just before its update, so the
        figure also holds what examples gain from the updates just before them, which
        shrinks with the learning rate: it can rise in the last epoch while the vectors
        still improve (see the documentation's "Loss and progress").
    {pooling_attributes}

    See Also
    --------
    sklearn.feature_extraction.text.TfidfVectorizer : Sparse bag-of-words features.

    Notes
    -----
    Documents longer than 10,000 tokens are trained in consecutive 10,000-token segments
    (contexts do not cross a segment boundary); no token is dropped.

    Examples
    --------
    >>> from skw2v import Word2VecTransformer
    >>> docs = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat"]] * 50
    >>> w2v = Word2VecTransformer(vector_size=8, min_count=1, n_jobs=1, random_state=0)
    >>> X = w2v.fit_transform(docs)
    >>> X.shape
    (100, 8)
    >>> w2v.wv_.most_similar("cat", topn=1)[0][0] in w2v.vocabulary_
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        **TrainedModel._parameter_constraints,
        **POOLING_CONSTRAINTS,
        "architecture": [StrOptions(set(driver.ARCHITECTURES))],
        "vectors": [StrOptions({"input", "input+output"})],
        "subwords": [None, tuple],
        "buckets": [Interval(Integral, 1, MAX_ROWS, closed="both")],
    }

    #: Left out of the ``memory`` key besides the shared ones: which vectors are exposed
    #: (computed from the cached input and output vectors) and the pooling family
    #: (applied after training).
    _non_training_parameters: ClassVar[frozenset] = TrainedModel._non_training_parameters | {
        "vectors",
        *POOLING_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        vector_size: int = 100,
        window: int = 5,
        min_count: int = 5,
        sample: float = 1e-3,
        negative: int = 5,
        ns_exponent: float = 0.75,
        alpha: float = 0.025,
        min_alpha: float = 1e-4,
        epochs: int = 5,
        shrink_windows: bool = True,
        shared_negatives: bool = True,
        architecture: str = "skipgram",
        objective: str = "negative_sampling",
        vectors: str = "input",
        compute_loss: bool = True,
        subwords: tuple[int, int] | None = None,
        buckets: int = 2_000_000,
        n_jobs: int | None = None,
        random_state=None,
        verbose: int = 0,
        pooling: str = "mean",
        sif_alpha: float = 1e-3,
        normalize: bool = False,
        empty: str = "zeros",
        analyzer=None,
        memory=None,
        corpus_storage: str = "auto",
        temp_folder: str | os.PathLike | None = None,
    ) -> None:
        self._store_parameters(locals())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None) -> Word2VecTransformer:
        """Learn the vocabulary and word vectors from documents.

        Parameters
        ----------
        X : iterable of list of str, or LineCorpus
            Training documents, each a list (or tuple) of string tokens, or a
            :class:`LineCorpus` of text files. A one-shot generator is fine: it is read
            exactly once.
        y : None
            Ignored.

        Returns
        -------
        self : Word2VecTransformer
            The fitted transformer.
        """
        self._fit(X, rare=None)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None) -> np.ndarray:
        """Fit, then return the document vectors of the training documents.

        ``X`` is read and encoded once (a one-shot generator is fine, and is not held in
        memory as Python lists): the vectors are pooled from the encoded corpus that
        training used, and equal ``fit(X).transform(X)``.

        Parameters
        ----------
        X : iterable of documents
            Training documents (token lists, or raw text with ``analyzer``).
        y : None
            Ignored.

        Returns
        -------
        X_new : ndarray of shape (n_documents, vector_size), float32
            Document vectors; see ``pooling``, ``normalize`` and ``empty``.
        """
        if self.subwords:
            # unseen (and rare) words have subword vectors in transform, which pooling
            # the training corpus would skip: the mixin's fit, then transform
            return super().fit_transform(X, y)
        return self._fit(X, rare=None, pool=True)

    def _fit(self, X, rare: dict | None, pool: bool = False) -> np.ndarray | None:
        """Fit; with ``pool``, return the document vectors of the training documents."""
        driver.check_modes(self.get_params())
        with self._storage(X) as storage:
            return self._fit_with(X, rare, pool, storage)

    def _fit_with(self, X, rare, pool: bool, storage: CorpusStorage) -> np.ndarray | None:
        n_threads = resolve_threads(self.n_jobs)
        vocabulary, corpus = self._read_corpus(X, storage, n_threads, rare)
        trained = self._train(driver.train_word_vectors, vocabulary, corpus, n_threads)
        self._set_vectors(vocabulary, trained, corpus)
        self.n_batches_ = 1
        self._fit_pooling(corpus, n_threads)
        return self._pool_encoded(corpus) if pool else None

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None) -> Word2VecTransformer:
        """Train on one more batch of documents, growing the vocabulary.

        The first call (on an unfitted transformer) is :meth:`fit`, and also remembers
        the counts of the words below ``min_count``. Each later call:

        - adds the batch's word counts: vocabulary words gain them; other words accumulate
          in ``rare_word_counts_`` and join the vocabulary (as new rows at the end,
          initialised like fresh ones) once they reach ``min_count``; existing rows keep
          their place and values (``wv_`` is then no longer sorted by frequency);
        - trains ``epochs`` epochs on this batch only, the learning rate falling from
          ``alpha`` to ``min_alpha`` over the batch;
        - subsampling (``sample``) and the noise distribution use the cumulative counts of
          all batches; ``pooling="tfidf"`` idf and the ``"sif"`` component are computed
          from this batch, SIF word frequencies from the cumulative counts.

        Words that stayed below ``min_count`` in a :meth:`fit` are not remembered: they
        start counting from zero in later batches. ``memory`` is not used. Only
        ``objective="negative_sampling"`` can grow: a new word would reshape the
        hierarchical softmax's Huffman tree under the trained inner nodes.

        Parameters
        ----------
        X : iterable of documents
            The new batch (token lists, or raw text with ``analyzer``).
        y : None
            Ignored.

        Returns
        -------
        self : Word2VecTransformer
            The updated transformer.
        """
        if not driver.OBJECTIVES[self.objective].word_outputs:
            raise ValueError(
                f"partial_fit needs objective='negative_sampling', not {self.objective!r}: a "
                "growing vocabulary would reshape the hierarchical softmax's Huffman tree "
                "under its trained nodes."
            )
        if not hasattr(self, "wv_"):
            rare: dict[str, int] = {}
            self._fit(X, rare)
            self.rare_word_counts_ = rare
            return self
        driver.check_modes(self.get_params())
        objective = driver.OBJECTIVES[self.objective]
        _check_training_state(self, objective.output_rows(len(self.wv_.index_to_key)))
        with self._storage(X) as storage:
            self._partial_fit_with(X, storage)
        return self

    def _partial_fit_with(self, X, storage: CorpusStorage) -> None:
        n_threads = resolve_threads(self.n_jobs)
        types, provisional = count_and_encode(
            self._documents(X, materialize=False), storage=storage
        )
        if provisional.n_tokens == 0:
            raise ValueError("The batch is empty: X holds no tokens.")
        old = Vocabulary(self.wv_.index_to_key, self.wv_.counts)
        vocabulary, corpus, rare, _ = grow_vocabulary(
            old, getattr(self, "rare_word_counts_", {}), types, provisional, self.min_count,
            storage,
        )  # fmt: skip
        params = self._training_parameters()
        params["random_state"] = _batch_seed(self.random_state, self.n_batches_)
        trained = driver.train_word_vectors(
            params, "", vocabulary=vocabulary, corpus=corpus, n_threads=n_threads,
            verbose=self.verbose,
            initial=driver.TrainedVectors(self.input_vectors_, self.output_vectors_, None),
        )  # fmt: skip
        self._set_vectors(vocabulary, trained, corpus)
        self.rare_word_counts_ = rare
        self.n_batches_ += 1
        self._fit_pooling(corpus, n_threads)

    def save_facebook_model(self, path: str | os.PathLike) -> None:
        """Save the subword model in Facebook fastText's ``.bin`` format, atomically.

        fastText and gensim's ``load_facebook_model`` read it back: input matrix (word
        rows, then n-gram buckets), output layer, vocabulary with counts and the training
        parameters. Needs ``subwords`` (word-only models: use
        ``wv_.save_word2vec_format``).

        Parameters
        ----------
        path : str or path-like
            Where to write the ``.bin`` file.
        """
        from ._io.fasttext_format import MODEL_CBOW, MODEL_SKIPGRAM, write_facebook

        check_is_fitted(self, "wv_")
        if not isinstance(self.wv_, SubwordVectors):
            raise ValueError(
                "save_facebook_model needs a model trained with subwords=(min_n, max_n); save "
                "word-only vectors with wv_.save_word2vec_format(path, binary=True)."
            )
        output = self.output_vectors_
        if output.shape[0] < len(self.wv_):  # Huffman inner nodes: fastText keeps nwords rows
            padding = np.zeros((len(self.wv_) - output.shape[0], output.shape[1]), np.float32)
            output = np.concatenate([output, padding])
        fasttext_model = {"skipgram": MODEL_SKIPGRAM, "cbow": MODEL_CBOW}[self.architecture]
        model = facebook_model(
            self.wv_, output, ws=self.window, epoch=self.epochs, min_count=self.min_count,
            neg=self.negative, loss=driver.OBJECTIVES[self.objective].fasttext_loss,
            model=fasttext_model, t=self.sample,
        )  # fmt: skip
        write_facebook(path, model)

    def _check_loaded_state(self) -> None:
        super()._check_loaded_state()
        owner = type(self).__name__
        n_words, dim = self.wv_.vectors.shape
        objective = driver.OBJECTIVES.get(self.objective)
        if objective is None:
            raise inconsistent(owner, f"objective is {self.objective!r}")
        input_rows = n_words + getattr(self.wv_, "buckets", 0)
        check_array(owner, "input_vectors_", getattr(self, "input_vectors_", None), np.float32,
                    2, (input_rows, dim))  # fmt: skip
        check_array(owner, "output_vectors_", getattr(self, "output_vectors_", None), np.float32,
                    2, (objective.output_rows(n_words), dim))  # fmt: skip

    def _set_vectors(self, vocabulary, trained, corpus) -> None:
        if self.subwords:
            self.wv_ = SubwordVectors(trained.syn0, vocabulary.words, vocabulary.counts,
                                      min_n=self.subwords[0], max_n=self.subwords[1])  # fmt: skip
        else:
            vectors = trained.syn0
            if self.vectors == "input+output":
                vectors = trained.syn0 + trained.syn1
            self.wv_ = WordVectors(vectors, vocabulary.words, vocabulary.counts)
        self.vocabulary_ = dict(self.wv_.key_to_index)
        self.input_vectors_ = getattr(self.wv_, "input_matrix", trained.syn0)
        self.output_vectors_ = trained.syn1
        self._set_report(trained, corpus)


def _check_training_state(estimator: Word2VecTransformer, output_rows: int) -> None:
    """The matrices ``partial_fit`` trains further fit the vocabulary and the parameters.

    ``output_rows`` is the number of output vectors the current ``objective`` needs for
    the current vocabulary.
    """
    owner = type(estimator).__name__
    check_word_vectors(estimator.wv_, f"{owner}.wv_")
    n_words = len(estimator.wv_.index_to_key)
    dim = estimator.vector_size
    subwords = getattr(estimator, "subwords", None)
    buckets = getattr(estimator.wv_, "buckets", 0)
    if bool(subwords) != bool(buckets) or (subwords and (
            buckets != estimator.buckets
            or tuple(subwords) != (estimator.wv_.min_n, estimator.wv_.max_n))):  # fmt: skip
        raise InconsistentStateError(
            f"{owner} was fitted with different subword parameters than subwords="
            f"{subwords!r}, buckets={getattr(estimator, 'buckets', None)!r}. Parameters "
            "that shape the model cannot change between partial_fit calls: set them back, "
            "or call fit to start again."
        )
    input_rows = n_words + (buckets if subwords else 0)
    for name, rows in (("input_vectors_", input_rows), ("output_vectors_", output_rows)):
        matrix = getattr(estimator, name)
        check_array(owner, name, matrix, np.float32, 2)
        if matrix.shape != (rows, dim):
            raise InconsistentStateError(
                f"{owner}.{name} has shape {matrix.shape}, but the vocabulary and the current "
                f"parameters (vector_size={dim}, objective={estimator.objective!r}) need "
                f"{(rows, dim)}. Parameters that shape the model cannot change between "
                "partial_fit calls: set them back, or call fit to start again."
            )
    if not isinstance(getattr(estimator, "rare_word_counts_", {}), dict):
        raise inconsistent(owner, "rare_word_counts_ is not a dict")


def _batch_seed(random_state, batch: int):
    """A distinct, reproducible random state for each partial_fit batch."""
    if isinstance(random_state, Integral):
        return np.random.RandomState(np.random.SeedSequence([int(random_state), batch])
                                     .generate_state(1)[0])  # fmt: skip
    return random_state
