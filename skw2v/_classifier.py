"""FastTextClassifier: fastText's supervised text classifier as a scikit-learn
classifier and featurizer."""

from __future__ import annotations

import os
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from ._base import TextTransformerMixin
from ._estimator import SHARED_CONSTRAINTS, TrainedModel, document_parameters
from ._io.fasttext_format import MODEL_SUPERVISED, FacebookModel, read_facebook, write_facebook
from ._kernels.subwords import EOS, MAX_ROWS
from ._pooling import PoolingState, pool_encoded
from ._state import check_array, inconsistent
from ._training import driver
from ._training.corpus import EncodedCorpus, count_and_encode
from ._training.supervised import (
    InputSpec,
    compact_buckets,
    encode_input_rows,
    input_rows,
    label_order,
    shuffled,
    uses_buckets,
)
from ._training.threads import resolve_threads
from ._training.vocab import two_queue_huffman_codes, type_counts

#: Documents' probabilities are computed in batches of at most this many values per
#: batch (hierarchical softmax gathers a documents x labels x depth block).
_PROBABILITY_BLOCK = 1 << 24

#: fastText's label prefix (a label's name in Facebook's files and tools).
LABEL_PREFIX = "__label__"


@document_parameters
class FastTextClassifier(ClassifierMixin, TextTransformerMixin, TrainedModel):
    """fastText's supervised text classifier (Joulin et al. 2016), also a featurizer.

    A document's vector is the mean of its input rows: its words' rows, their character
    n-grams' rows (``subwords``) and its word n-grams' rows (``word_ngrams``), hashed
    into ``buckets`` rows as fastText does. A linear layer over the classes reads it;
    both are trained together from the labels, with a loss over all classes
    (``"softmax"``), along a Huffman tree of the classes (``"hierarchical_softmax"``, for
    many classes), against sampled classes (``"negative_sampling"``), or one logistic
    loss per class (``"one_vs_all"``, also for multi-label ``y``). As in fastText, every
    document ends with the end-of-line word ``</s>``, which acts as a learned bias (and
    is part of the last word n-gram). ``transform`` returns the document vector the
    classifier sees: a supervised featurizer for a ``Pipeline`` or a ``FeatureUnion``.

    The defaults are fastText's supervised defaults (``-lr 0.1 -dim 100 -epoch 5
    -minCount 1 -wordNgrams 1 -bucket 2000000 -loss softmax``, no character n-grams).

    Parameters
    ----------
    {vector_size}
    {epochs}
    alpha : float, default=0.1
        Initial learning rate; it decays linearly to zero over all epochs, by documents
        (fastText's ``-lr``; its schedule goes by words). A document's rate is split
        evenly over its input rows.
    word_ngrams : int, default=1
        Longest word n-gram: 2 adds a row per pair of neighbouring words (fastText's
        ``-wordNgrams``), which often gains accuracy at the price of ``buckets`` rows.
    buckets : int, default=2_000_000
        Word and character n-grams are hashed into this many buckets (fastText's
        ``-bucket``); each bucket is a row of the input matrix. Only the buckets that the
        training documents use are kept (fastText allocates them all: 800 MB for
        2,000,000 x 100); an n-gram of a new document that falls into an unused bucket
        counts as a zero row. No buckets with ``word_ngrams=1`` and no ``subwords``.
    subwords : None or tuple of (int, int), default=None
        ``(min_n, max_n)``: each word also reads the rows of its character n-grams of
        ``<word>`` (fastText's ``-minn``/``-maxn``), so unseen and misspelled words still
        count. ``None``: none (fastText's supervised default).
    {min_count}
    loss : {"softmax", "hierarchical_softmax", "negative_sampling", "one_vs_all"}, default="softmax"
        See above. Multi-label ``y`` needs ``"one_vs_all"``.
    {negative}
    pretrained : None, Word2VecTransformer, WordVectors or path, default=None
        Word vectors learned beforehand, typically on much unlabelled text (fastText's
        ``-pretrainedVectors``): a fitted :class:`Word2VecTransformer`, a
        :class:`WordVectors` (or :class:`SubwordVectors`), or the path of a ``.vec``
        (word2vec text or binary) or Facebook ``.bin`` file. Their words start at their
        vectors (the others at random) and join the vocabulary even when the labelled
        documents lack them, so that test documents can use them. Their size must be
        ``vector_size``.
    shuffle : bool, default=True
        Train on the documents in a random order (drawn from ``random_state``, once per
        fit), as scikit-learn's ``SGDClassifier`` does by default. Documents sorted by
        class (a corpus in book order, one file per class) otherwise teach the last class
        last, which with a decaying learning rate can leave every prediction on it.
        fastText reads its file in order (each thread from another offset).
    {compute_loss}
    {n_jobs}
    {random_state}
    {verbose}
    {analyzer}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (``np.unique(y)``), or ``0 .. n_labels - 1`` for multi-label
        ``y`` (its columns).
    class_count_ : ndarray of shape (n_classes,), int64
        Training documents per class.
    words_ : list of str
        The vocabulary (row ``i`` of ``input_vectors_`` is ``words_[i]``), most frequent
        first, ``</s>`` included.
    word_counts_ : ndarray of shape (n_words,), int64
        Occurrences of each word in the training documents.
    input_vectors_ : ndarray of shape (n_words + n_bucket_rows, vector_size), float32
        The input rows: words, then the n-gram buckets that the training documents use,
        then (when some bucket is unused) one zero row that every unused bucket shares.
    bucket_map_ : ndarray of shape (buckets,) or (0,), int32
        Each bucket's row after the words' rows (-1: the n-gram is dropped, in a pruned
        ``.ftz`` model); empty without buckets or when each bucket has its own row.
    output_vectors_ : ndarray of shape (n_outputs, vector_size), float32
        The class rows: one per class, or one per inner node of the Huffman tree
        (hierarchical softmax), in fastText's order of the labels (most frequent first).
    output_labels_ : ndarray of shape (n_classes,), int64
        ``output_labels_[l]`` is the index in ``classes_`` of fastText's label ``l``.
    multilabel_ : bool
        Whether ``y`` was a multi-label indicator matrix.
    n_training_words_ : int
        Input rows of the training documents (one epoch).
    effective_words_ : list of int
        Input rows trained per epoch.
    training_seconds_ : float
        Wall time of the training epochs (a first-use compilation is not included).
    loss_history_ : list of float or None
        With ``compute_loss=True``: the mean training loss per document, per epoch.

    See Also
    --------
    Word2VecTransformer : Unsupervised word vectors, a source of ``pretrained`` vectors.
    sklearn.linear_model.LogisticRegression : With ``TfidfVectorizer``, the usual baseline.

    Notes
    -----
    ``predict_proba`` gives, for ``"softmax"`` and ``"hierarchical_softmax"``, a
    distribution over the classes (rows sum to 1); for ``"one_vs_all"`` and
    ``"negative_sampling"`` each class's own probability, as fastText reports them. The
    ``k`` most probable classes of each document (fastText's ``predict -k``) are
    ``clf.classes_[np.argsort(-proba, axis=1)[:, :k]]``. fastText's ``predict-prob``
    prints ``p + 1e-5`` (it ranks by ``log(p + 1e-5)``). A document none of whose words
    is known is predicted from the ``</s>`` row alone (the class prior it learned).

    Examples
    --------
    >>> from skw2v import FastTextClassifier
    >>> docs = [["good", "great", "fun"], ["bad", "awful", "boring"]] * 20
    >>> y = ["pos", "neg"] * 20
    >>> clf = FastTextClassifier(vector_size=10, epochs=20, random_state=0, n_jobs=1)
    >>> clf.fit(docs, y).predict([["great", "fun"], ["awful"]]).tolist()
    ['pos', 'neg']
    >>> clf.transform([["great", "fun"]]).shape
    (1, 10)
    """

    _parameter_constraints: ClassVar[dict] = {
        **{name: SHARED_CONSTRAINTS[name]
           for name in ("vector_size", "epochs", "min_count", "negative", "compute_loss",
                        "n_jobs", "random_state", "verbose", "analyzer")},
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "word_ngrams": [Interval(Integral, 1, 100, closed="both")],
        "buckets": [Interval(Integral, 1, MAX_ROWS, closed="both")],
        "subwords": [None, tuple],
        "loss": [StrOptions(set(driver.LOSSES))],
        "pretrained": "no_validation",
        "shuffle": ["boolean"],  # checked in fit, with a message naming the fix
    }  # fmt: skip

    def __init__(
        self,
        *,
        vector_size: int = 100,
        epochs: int = 5,
        alpha: float = 0.1,
        word_ngrams: int = 1,
        buckets: int = 2_000_000,
        subwords: tuple[int, int] | None = None,
        min_count: int = 1,
        loss: str = "softmax",
        negative: int = 5,
        pretrained=None,
        shuffle: bool = True,
        compute_loss: bool = False,
        n_jobs: int | None = None,
        random_state=None,
        verbose: int = 0,
        analyzer=None,
    ) -> None:
        self._store_parameters(locals())

    # ------------------------------------------------------------------ fitting
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None) -> FastTextClassifier:
        """Learn the vocabulary, the input rows and the class rows from labelled documents.

        Parameters
        ----------
        X : iterable of documents
            Lists of string tokens (``analyzer=None``), raw strings (with ``analyzer``),
            or a :class:`LineCorpus`.
        y : array-like of shape (n_documents,) or (n_documents, n_labels)
            Class labels of any type (strings, integers), or a multi-label indicator
            matrix (as :class:`~sklearn.preprocessing.MultiLabelBinarizer` gives), which
            needs ``loss="one_vs_all"``.
        sample_weight : array-like of shape (n_documents,), default=None
            Scales each document's learning rate (non-negative).

        Returns
        -------
        self : FastTextClassifier
            The fitted classifier.
        """
        driver.check_subwords(self.subwords)
        if self.loss == "negative_sampling" and self.negative < 1:
            raise ValueError(
                f"negative={self.negative} leaves loss='negative_sampling' without noise "
                "classes; pass negative >= 1."
            )
        classes, label_ptr, label_of_doc, multilabel = _encode_targets(y, self.loss)
        n_threads = resolve_threads(self.n_jobs)
        types, provisional = count_and_encode(self._documents(X, materialize=False),
                                              n_threads=n_threads)  # fmt: skip
        n_docs = provisional.indptr.shape[0] - 1
        if n_docs != label_ptr.shape[0] - 1:
            raise ValueError(
                f"X has {n_docs} documents but y has {label_ptr.shape[0] - 1} labels; pass one "
                "label (or one row of labels) per document."
            )
        weights = _check_sample_weight(sample_weight, np.empty((n_docs, 0)), dtype=np.float64)
        if not np.all(np.isfinite(weights)) or (weights < 0).any():
            raise ValueError("sample_weight must be finite and non-negative.")
        ids = (np.concatenate(provisional.chunks) if provisional.chunks
               else np.zeros(0, dtype=np.int32))  # fmt: skip
        by_type = EncodedCorpus(ids=ids.astype(np.int32, copy=False), indptr=provisional.indptr)
        counts = type_counts(provisional, len(types))
        pre_words, pre_vectors = _pretrained_vectors(self.pretrained, self.vector_size)
        words, word_counts = _vocabulary(types, counts, n_docs, self.min_count, pre_words)
        buckets = self.buckets if uses_buckets(self.word_ngrams, self.subwords) else 0
        spec = InputSpec(words, buckets, self.word_ngrams, self.subwords)
        corpus = input_rows(types, by_type, spec)
        bucket_map, n_used = np.zeros(0, dtype=np.int32), 0
        if buckets:
            corpus, bucket_map, n_used = compact_buckets(corpus, len(words), buckets)
            spec = InputSpec(words, buckets, self.word_ngrams, self.subwords, bucket_map)
        class_count = np.bincount(label_of_doc, minlength=len(classes)).astype(np.int64)
        order = label_order(class_count)
        row_of_class = np.empty_like(order)
        row_of_class[order] = np.arange(order.shape[0])
        data = driver.ClassifierData(
            corpus=corpus, label_ptr=label_ptr, labels=row_of_class[label_of_doc].astype(np.int32),
            weights=weights.astype(np.float32), label_counts=class_count[order],
        )  # fmt: skip
        if self.shuffle:
            seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
            data = shuffled(data, np.random.RandomState(seed).permutation(n_docs))
        pretrained = None
        if pre_words:
            rows = np.fromiter((spec.index[word] for word in pre_words), dtype=np.int64,
                               count=len(pre_words))  # fmt: skip
            pretrained = (rows, pre_vectors)
        if self.verbose:
            print(f"[skw2v] {len(words):,} words, {len(classes):,} classes, {n_docs:,} "
                  f"documents, {spec.n_rows:,} input rows; training on {n_threads} "
                  "thread(s)")  # fmt: skip
        trained = driver.train_classifier(
            self.get_params(deep=False), data=data, n_words=len(words), n_rows=spec.n_rows,
            pretrained=pretrained, n_threads=n_threads, verbose=self.verbose,
        )  # fmt: skip
        self.classes_ = classes
        self.class_count_ = class_count
        self.multilabel_ = multilabel
        self.words_ = words
        self.word_counts_ = word_counts
        self.input_vectors_ = trained.syn0
        self.input_vectors_[len(words) + n_used :] = 0.0  # the row of unused buckets
        self.output_vectors_ = trained.syn1
        self.output_labels_ = order.astype(np.int64)
        self.bucket_map_ = bucket_map
        self._set_report(trained, corpus)
        return self

    # ------------------------------------------------------------------ state
    def _spec(self) -> InputSpec:
        cached = self.__dict__.get("_spec_cache")
        buckets = self.buckets if uses_buckets(self.word_ngrams, self.subwords) else 0
        if (cached is None or cached.words is not self.words_ or cached.buckets != buckets
                or cached.word_ngrams != self.word_ngrams or cached.subwords != self.subwords
                or cached.bucket_map is not self.bucket_map_):  # fmt: skip
            cached = InputSpec(self.words_, buckets, self.word_ngrams, self.subwords,
                               self.bucket_map_)  # fmt: skip
            self.__dict__["_spec_cache"] = cached
        return cached

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_spec_cache", None)
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        if "input_vectors_" in self.__dict__:
            self._check_state()

    def _check_state(self) -> None:
        """The fitted arrays fit together (checked after loading and before each use)."""
        owner = type(self).__name__
        n_classes = len(self.classes_)
        dim = self.input_vectors_.shape[1] if getattr(self.input_vectors_, "ndim", 0) == 2 else 0
        spec = self._spec()
        check_array(owner, "input_vectors_", self.input_vectors_, np.float32, 2,
                    (spec.n_rows, None))  # fmt: skip
        n_outputs = driver.LOSSES[self.loss].output_rows(n_classes)
        check_array(owner, "output_vectors_", self.output_vectors_, np.float32, 2,
                    (n_outputs, dim))  # fmt: skip
        check_array(owner, "output_labels_", self.output_labels_, np.int64, 1, (n_classes,))
        check_array(owner, "class_count_", self.class_count_, np.int64, 1, (n_classes,))
        if n_classes < 2 or not np.array_equal(np.sort(self.output_labels_), np.arange(n_classes)):
            raise inconsistent(owner, "output_labels_ is not a permutation of the classes")
        if spec.bucket_map.shape[0] and spec.bucket_map.shape[0] != self.buckets:
            raise inconsistent(owner, "bucket_map_ does not have one entry per bucket")

    @property
    def _n_features_out(self) -> int:
        return self.input_vectors_.shape[1]

    # ------------------------------------------------------------------ prediction
    def transform(self, X) -> np.ndarray:
        """The document vectors the classifier reads: the mean of each document's input
        rows (words, character n-grams, word n-grams and ``</s>``).

        Parameters
        ----------
        X : iterable of documents
            As in :meth:`fit`.

        Returns
        -------
        X_new : ndarray of shape (n_documents, vector_size), float32
            Document vectors.
        """
        check_is_fitted(self, "input_vectors_")
        self._check_state()
        corpus = encode_input_rows(self._documents(X, materialize=True), self._spec())
        n_rows = self.input_vectors_.shape[0]
        state = PoolingState("mean", _ones(n_rows), None, False, "zeros")
        return pool_encoded(corpus, self.input_vectors_, state, resolve_threads(self.n_jobs))

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities of each document (see the Notes on each loss).

        Parameters
        ----------
        X : iterable of documents
            As in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_documents, n_classes), float64
            Columns in the order of ``classes_``.
        """
        hidden = self.transform(X)
        out = np.empty((hidden.shape[0], len(self.classes_)), dtype=np.float64)
        for start, scores, tree in self._score_batches(hidden):
            stop = start + scores.shape[0]
            out[start:stop, self.output_labels_] = self._label_probabilities(scores, tree)
        return out

    def _score_batches(self, hidden: np.ndarray):
        """``(first document, output scores, Huffman tree or None)`` per batch of
        ``hidden``: the tree is built and the output rows widened once per call, and a
        batch holds at most ``_PROBABILITY_BLOCK`` values (documents x labels x depth)."""
        tree = None
        if self.loss == "hierarchical_softmax":
            tree = two_queue_huffman_codes(self.class_count_[self.output_labels_])
        depth = tree.points.shape[1] if tree is not None else 1
        batch = max(1, _PROBABILITY_BLOCK // (len(self.classes_) * depth))
        weights = self.output_vectors_.T.astype(np.float64)
        for start in range(0, hidden.shape[0], batch):
            yield start, hidden[start : start + batch].astype(np.float64) @ weights, tree

    def _label_probabilities(self, scores: np.ndarray, tree) -> np.ndarray:
        """Probabilities in fastText's label order, from the output ``scores``."""
        if self.loss == "softmax":
            scores -= scores.max(axis=1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=1, keepdims=True)
            return scores
        if self.loss in ("one_vs_all", "negative_sampling"):
            return 1.0 / (1.0 + np.exp(-scores))
        depth = tree.points.shape[1]
        signs = np.where(tree.codes == 1, 1.0, -1.0)  # a branch bit 1 is the positive class
        valid = np.arange(depth)[None, :] < tree.lengths[:, None]
        branch = scores[:, tree.points] * signs[None]  # (documents, labels, depth)
        log_p = -np.logaddexp(0.0, -branch)
        return np.exp(np.where(valid[None], log_p, 0.0).sum(axis=2))

    def predict_top_k(
        self, X, k: int = 1, threshold: float = 0.0
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The ``k`` most probable classes of each document and their probabilities,
        exactly as Facebook's fastText reports them (``predict -k``/``predict-prob``,
        ``model.predict(text, k, threshold)``): classes of probability below
        ``threshold`` are left out, so a document may get fewer than ``k``.

        fastText ranks by ``log(p + 1e-5)`` and reports ``exp`` of that: ``p + 1e-5``
        for softmax, one-vs-all and negative sampling (whose sigmoid it reads from a
        512-entry table), and the product of ``q + 1e-5`` over the branches ``q`` of the
        Huffman path for hierarchical softmax. These figures differ from
        :meth:`predict_proba` (true probabilities) by up to about ``1e-5`` per branch;
        use this method to reproduce fastText's output.

        Parameters
        ----------
        X : iterable of documents
            As in :meth:`fit`.
        k : int, default=1
            Classes per document at most.
        threshold : float, default=0.0
            Smallest probability reported.

        Returns
        -------
        labels : list of ndarray
            Per document, its classes, most probable first.
        probabilities : list of ndarray of float64
            Per document, fastText's figure for each of them.
        """
        if not (isinstance(k, Integral) and k >= 1):
            raise ValueError(f"k={k!r} must be an integer >= 1.")
        hidden = self.transform(X)
        labels, probabilities = [], []
        for _, output, tree in self._score_batches(hidden):
            scores, keep = self._fasttext_scores(output, tree, float(threshold))
            scores = np.where(keep, scores, -np.inf)
            best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
            for row, columns in zip(scores, best):
                columns = columns[np.isfinite(row[columns])]
                labels.append(self.classes_[self.output_labels_[columns]])
                probabilities.append(np.exp(row[columns]))
        return labels, probabilities

    def _fasttext_scores(self, scores: np.ndarray, tree, threshold: float):
        """fastText's ranking scores ``log(p + 1e-5)`` per label (its order) from the
        output ``scores``, and which labels its threshold keeps (``Loss::findKBest``,
        ``HierarchicalSoftmaxLoss::dfs``)."""
        if self.loss == "softmax":
            p = self._label_probabilities(scores, tree)  # (in place: scores is not reused)
            return np.log(p + 1e-5), p >= threshold
        if self.loss in ("one_vs_all", "negative_sampling"):
            p = _table_sigmoid(scores)
            return np.log(p + 1e-5), p >= threshold
        branch = 1.0 / (1.0 + np.exp(-scores[:, tree.points]))
        branch = np.where(tree.codes[None] == 1, branch, 1.0 - branch)
        valid = np.arange(tree.points.shape[1])[None, :] < tree.lengths[:, None]
        log_p = np.where(valid[None], np.log(branch + 1e-5), 0.0).sum(axis=2)
        return log_p, log_p >= np.log(threshold + 1e-5)

    def decision_function(self, X) -> np.ndarray:
        """Log-probabilities of the classes (for two classes: the log-odds of
        ``classes_[1]``).

        Parameters
        ----------
        X : iterable of documents
            As in :meth:`fit`.

        Returns
        -------
        scores : ndarray of shape (n_documents, n_classes) or (n_documents,)
            ``log(predict_proba(X))``; for two classes, its second column minus its first.
        """
        log_p = np.log(np.maximum(self.predict_proba(X), np.finfo(np.float64).tiny))
        if len(self.classes_) == 2 and not self.multilabel_:
            return log_p[:, 1] - log_p[:, 0]
        return log_p

    def predict(self, X) -> np.ndarray:
        """The most probable class of each document; with multi-label ``y``, the indicator
        matrix of the classes of probability above 0.5.

        Parameters
        ----------
        X : iterable of documents
            As in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_documents,) or (n_documents, n_labels)
            Predicted classes.
        """
        proba = self.predict_proba(X)
        if self.multilabel_:
            return (proba > 0.5).astype(np.int64)
        return self.classes_[np.argmax(proba, axis=1)]

    # ------------------------------------------------------------------ Facebook's files
    def save_facebook_model(self, path: str | os.PathLike) -> None:
        """Write this classifier as a Facebook fastText supervised ``.bin`` model, which
        ``fasttext predict``/``predict-prob`` and the ``fasttext`` Python package load and
        predict from (labels ``__label__<class>``).

        Parameters
        ----------
        path : str or path-like
            Destination, written atomically.
        """
        check_is_fitted(self, "input_vectors_")
        self._check_state()
        n_words = len(self.words_)
        inputs = self.input_vectors_
        if self.bucket_map_.shape[0]:
            if (self.bucket_map_ < 0).any():
                raise ValueError(
                    "This classifier was loaded from a pruned, quantized .ftz model, which "
                    "fastText only stores quantized; it cannot be written as a .bin file."
                )
            # fastText's .bin holds a row per bucket: the unused ones are the zero row
            inputs = np.concatenate([inputs[:n_words], inputs[n_words + self.bucket_map_]])
        n_classes = len(self.classes_)
        output = self.output_vectors_
        if output.shape[0] < n_classes:  # hierarchical softmax: fastText keeps a row per label
            output = np.concatenate([output, np.zeros((n_classes - output.shape[0],
                                                       output.shape[1]), np.float32)])  # fmt: skip
        min_n, max_n = self.subwords if self.subwords is not None else (0, 0)
        args = {
            "dim": self.input_vectors_.shape[1], "ws": 5, "epoch": self.epochs,
            "min_count": self.min_count, "neg": self.negative, "word_ngrams": self.word_ngrams,
            "loss": driver.LOSSES[self.loss].fasttext_loss, "model": MODEL_SUPERVISED,
            "bucket": self._spec().buckets, "minn": min_n, "maxn": max_n, "lr_update_rate": 100,
        }  # fmt: skip
        labels = [LABEL_PREFIX + str(self.classes_[c]) for c in self.output_labels_]
        spaced = [label for label in labels if len(label.split()) != 1]
        if spaced:
            raise ValueError(
                f"Class {spaced[0][len(LABEL_PREFIX) :]!r} holds white space, which fastText's "
                "tools split into words: its predictions would name another label. Fit with "
                "class names without white space (e.g. y with ' ' replaced by '_')."
            )
        model = FacebookModel(args, list(self.words_), self.word_counts_,
                              int(self.n_training_words_), inputs, output,
                              labels=labels,
                              label_counts=self.class_count_[self.output_labels_])  # fmt: skip
        write_facebook(path, model)

    @classmethod
    def load_facebook_model(cls, path: str | os.PathLike) -> FastTextClassifier:
        """Read a Facebook fastText supervised model: a ``.bin`` file, or a quantized
        ``.ftz`` file (decoded to float32, with its pruned n-gram index), such as the
        language identifier ``lid.176.ftz``.

        Parameters
        ----------
        path : str or path-like
            The model file.

        Returns
        -------
        clf : FastTextClassifier
            A fitted classifier whose ``classes_`` are the labels without fastText's
            ``__label__`` prefix (strings). Its parameters are the model's
            (``vector_size``, ``word_ngrams``, ``buckets``, ``subwords``, ``loss``, ...).
            Documents are token lists as fastText splits lines (on spaces, tabs and
            newlines).
        """
        model = read_facebook(path, supervised=True)
        args = model.args
        losses = {objective.fasttext_loss: name for name, objective in driver.LOSSES.items()}
        if args["loss"] not in losses:
            raise ValueError(f"{os.fspath(path)} uses fastText loss code {args['loss']}, which "
                             f"is none of {sorted(losses)}.")  # fmt: skip
        subwords = (args["minn"], args["maxn"]) if args["maxn"] > 0 else None
        clf = cls(vector_size=args["dim"], epochs=max(args["epoch"], 1),
                  word_ngrams=max(args["word_ngrams"], 1),
                  buckets=args["bucket"] if args["bucket"] > 0 else 2_000_000,
                  subwords=subwords, min_count=max(args["min_count"], 1),
                  loss=losses[args["loss"]], negative=args["neg"])  # fmt: skip
        names = [label[len(LABEL_PREFIX) :] if label.startswith(LABEL_PREFIX) else label
                 for label in model.labels]  # fmt: skip
        if len(set(names)) != len(names) or len(names) < 2:
            raise ValueError(f"{os.fspath(path)} has {len(names)} labels, some equal once "
                             f"their {LABEL_PREFIX!r} prefix is removed; a classifier needs "
                             "at least 2 distinct labels.")  # fmt: skip
        classes = np.array(sorted(names), dtype=object)
        position = {name: i for i, name in enumerate(classes)}
        clf.classes_ = classes
        clf.output_labels_ = np.array([position[name] for name in names], dtype=np.int64)
        clf.class_count_ = np.zeros(len(names), dtype=np.int64)
        clf.class_count_[clf.output_labels_] = model.label_counts
        clf.multilabel_ = False
        clf.words_ = list(model.words)
        clf.word_counts_ = model.counts
        clf.bucket_map_ = (model.prune_map if model.prune_map is not None
                          else np.zeros(0, dtype=np.int32))  # fmt: skip
        n_rows = clf._spec().n_rows
        clf.input_vectors_ = np.ascontiguousarray(model.input_matrix[:n_rows])
        n_outputs = driver.LOSSES[clf.loss].output_rows(len(names))
        clf.output_vectors_ = np.ascontiguousarray(model.output_matrix[:n_outputs])
        clf.n_training_words_ = int(model.ntokens)
        clf.effective_words_ = []
        clf.training_seconds_ = 0.0
        clf.loss_history_ = None
        clf._check_state()
        return clf

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.required = True
        return tags


#: Facebook's sigmoid table (``loss.cc``): 513 values over [-8, 8].
_FASTTEXT_SIGMOID = 1.0 / (1.0 + np.exp(-(np.arange(513) * 16.0 / 512 - 8.0)))


def _table_sigmoid(x: np.ndarray) -> np.ndarray:
    """fastText's table sigmoid (0 below -8, 1 above 8)."""
    index = np.clip(((x + 8.0) * 32.0).astype(np.int64), 0, 512)
    return np.where(x < -8.0, 0.0, np.where(x > 8.0, 1.0, _FASTTEXT_SIGMOID[index]))


def _ones(n: int) -> np.ndarray:
    return np.ones(n, dtype=np.float32)


def _encode_targets(y, loss: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """``(classes, label_ptr, label_of_doc, multilabel)``: the classes, each document's
    labels as CSR offsets into ``label_of_doc`` (indices into ``classes``)."""
    if y is None:
        raise ValueError("FastTextClassifier needs y, the class of each document.")
    y = np.asarray(y)
    kind = None
    if y.ndim == 2 and y.shape[1] > 1 and y.dtype.kind in "biuf":
        kind = type_of_target(y, input_name="y")
    if kind == "multilabel-indicator":
        if loss != "one_vs_all":
            raise ValueError(
                f"y is a multi-label indicator matrix, which loss={loss!r} cannot learn (it "
                "predicts one class per document); pass loss='one_vs_all'."
            )
        indicator = np.asarray(y) != 0
        if indicator.shape[1] < 2:
            raise ValueError("A multi-label y needs at least 2 label columns.")
        _, labels = np.nonzero(indicator)
        label_ptr = np.zeros(indicator.shape[0] + 1, dtype=np.int64)
        np.cumsum(indicator.sum(axis=1), out=label_ptr[1:])
        return np.arange(indicator.shape[1]), label_ptr, labels.astype(np.int64), True
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(
            f"y has shape {y.shape}; pass one class per document (1-D), or a multi-label "
            "indicator matrix of 0/1 (with loss='one_vs_all')."
        )
    missing = _missing(y)
    if missing.any():
        raise ValueError(
            f"y holds a missing label (None or NaN) at position {int(np.flatnonzero(missing)[0])}; "
            "every document needs a class. Drop those documents or give them a class."
        )
    if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
        raise ValueError(
            "y holds continuous values; FastTextClassifier predicts classes. Pass class "
            "labels (strings or integers)."
        )
    try:
        classes, label_of_doc = np.unique(y, return_inverse=True)
    except TypeError:
        raise TypeError(
            "y mixes label types that cannot be ordered (e.g. strings and numbers); pass "
            "labels of one type."
        ) from None
    if classes.shape[0] < 2:
        raise ValueError(
            f"y has {classes.shape[0]} class{'es' if classes.shape[0] != 1 else ''}; a "
            "classifier needs at least 2 classes."
        )
    label_ptr = np.arange(y.shape[0] + 1, dtype=np.int64)
    return classes, label_ptr, label_of_doc.astype(np.int64).ravel(), False


def _missing(y: np.ndarray) -> np.ndarray:
    if y.dtype.kind == "f":
        return np.isnan(y)
    if y.dtype == object:
        return np.fromiter((v is None or (isinstance(v, float) and v != v) for v in y),
                           dtype=bool, count=y.shape[0])  # fmt: skip
    return np.zeros(y.shape[0], dtype=bool)


def _vocabulary(
    types: list[str], counts: np.ndarray, n_docs: int, min_count: int, pretrained: list[str]
) -> tuple[list[str], np.ndarray]:
    """The words seen ``min_count`` times (``</s>`` once per document), most frequent
    first, then the pretrained words not among them (count 0)."""
    types = list(types)
    counts = counts.astype(np.int64)
    if EOS in types:
        counts[types.index(EOS)] += n_docs
    else:
        types.append(EOS)
        counts = np.append(counts, n_docs)
    kept = np.flatnonzero(counts >= min_count)
    order = kept[np.argsort(-counts[kept], kind="stable")]
    words = [types[i] for i in order]
    word_counts = counts[order]
    if pretrained:
        known = set(words)
        extra = [word for word in pretrained if word not in known]
        words += extra
        word_counts = np.concatenate([word_counts, np.zeros(len(extra), dtype=np.int64)])
    return words, word_counts


def _pretrained_vectors(source, vector_size: int) -> tuple[list[str], np.ndarray | None]:
    """``(words, vectors)`` of ``pretrained`` (empty without)."""
    if source is None:
        return [], None
    from ._subword_vectors import SubwordVectors
    from ._vectors import WordVectors

    wv = source
    if isinstance(source, (str, os.PathLike)):
        from ._io.fasttext_format import is_facebook_file

        if is_facebook_file(source):
            wv = SubwordVectors.load_facebook_format(source)
        else:
            wv = WordVectors.load_word2vec_format(source, binary=None)
    elif hasattr(source, "wv_"):
        check_is_fitted(source, "wv_")
        wv = source.wv_
    if not isinstance(wv, WordVectors):
        raise TypeError(
            f"pretrained is a {type(source).__name__}; pass a fitted Word2VecTransformer, "
            "a WordVectors, or the path of a .vec or .bin file."
        )
    if wv.vector_size != vector_size:
        raise ValueError(
            f"pretrained vectors have {wv.vector_size} dimensions but vector_size="
            f"{vector_size}; pass vector_size={wv.vector_size}."
        )
    return list(wv.index_to_key), np.asarray(wv.vectors, dtype=np.float32)
