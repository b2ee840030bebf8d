"""The front-end every trained model shares: its parameters, their constraints and their
documentation (written once here), where its corpus lives, how the corpus is read,
encoded and checked, the training cache, and the report attributes of a fit.

A model subclasses :class:`TrainedModel`, lists the shared parameters in its own
``__init__`` signature (scikit-learn reads the parameters from it) and extends the
constraints with ``{**TrainedModel._parameter_constraints, ...}``, as scikit-learn's
``MiniBatchNMF`` extends ``_BaseNMF``'s. Its docstring names a shared parameter with a
``{name}`` line, which :func:`document_parameters` fills with the text below and the
model's own default; lines the model adds after it extend that text.
"""

from __future__ import annotations

import inspect
import os
import sys
import textwrap
from collections.abc import Callable
from numbers import Integral, Real
from typing import ClassVar

from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_memory

from ._io.storage import CorpusStorage
from ._reader import LineCorpus
from ._training import driver
from ._training.corpus import EncodedCorpus, count_and_encode
from ._training.vocab import Vocabulary, build_vocabulary

#: ``corpus_storage="auto"`` keeps the encoded corpus on disk for a LineCorpus of more
#: than this many bytes of files (about 180 million tokens of plain English text).
AUTO_DISK_BYTES = 1 << 30

#: name -> (type, description) of every shared parameter, in signature order.
SHARED_PARAMETERS: dict[str, tuple[str, str]] = {
    "vector_size": ("int", """Dimension of the learned vectors (and of ``transform``'s output)."""),
    "window": ("int", """Maximum distance between a centre word and a context word (at most
        10,000, the longest stretch of text trained at once)."""),
    "min_count": ("int", """Words seen fewer times in the training documents are ignored."""),
    "sample": ("float", """Subsampling of frequent words: a word of relative frequency ``f`` is kept
        with probability ``sqrt(sample / f) + sample / f`` (word2vec.c); 0 disables it."""),
    "negative": ("int", """Noise words drawn per prediction (negative sampling; at least 1 then, at
        most 1,000; hierarchical softmax ignores it)."""),
    "ns_exponent": ("float", """Noise words are drawn from unigram counts raised to this
        power."""),
    "alpha": ("float", """Initial learning rate."""),
    "min_alpha": ("float", """Final learning rate (at most ``alpha``). Training decays the rate
        linearly over all epochs, by documents trained (gensim's schedule; word2vec.c's goes
        by words)."""),
    "epochs": ("int", """Passes over the training documents."""),
    "objective": ('{"negative_sampling", "hierarchical_softmax"}', """Negative sampling against
        ``negative`` noise words, or hierarchical softmax over a binary Huffman tree of the
        vocabulary (gensim's ``hs=1, negative=0``)."""),
    "shrink_windows": ("bool", """Draw each centre word's effective window uniformly from
        ``1..window``, as word2vec.c does; otherwise always use ``window``."""),
    "shared_negatives": ("bool", """Skip-gram: train all the (context, centre) pairs of a centre
        word as one small dense block. With negative sampling they share one set of
        ``negative`` noise words (the batched skip-gram of pWord2Vec and BlazingText),
        about twice as fast; with hierarchical softmax they walk the centre's Huffman path
        together, its rows trained in a private copy and written back once per window
        (nothing is shared or approximated: the arithmetic is the per-pair loop's, up to
        float rounding). CBOW with negative sampling: centres are trained in groups of 4
        that share one set of noise words; consecutive centres join different groups (a
        group's members are 6 centres apart), so their windows barely overlap (speed and
        quality in the benchmarks). ``False``
        trains pair by pair (skip-gram) or centre by centre (CBOW), exactly like
        word2vec.c and gensim. CBOW with hierarchical softmax ignores it. CBOW with
        negative sampling, in both modes, reads the sigmoid as gensim does (its table
        index, and no update for a score beyond +-6), which matched gensim's
        WordSim-353 on a small corpus."""),
    "compute_loss": ("bool", """Record ``loss_history_`` (2-5% of training time in
        ``benchmarks/loss.py``; it never changes the trained vectors)."""),
    "n_jobs": ("int", """Threads. ``None`` means 1 unless in a :obj:`joblib.parallel_backend`
        context; ``-1`` means all processors. With more than one thread, training updates
        are lock-free (Hogwild, as in word2vec.c) and not bitwise reproducible."""),
    "random_state": ("int, RandomState instance or None", """Seeds vector initialisation,
        subsampling, windows and noise draws. With an int and ``n_jobs=1``, two fits give
        bitwise-identical vectors."""),
    "verbose": ("int", """Print a progress line per epoch to stderr when positive."""),
    "analyzer": ('None, "word" or callable', """``None``: a document that is a raw string is
        tokenized like scikit-learn's ``CountVectorizer`` (lowercase, words of 2+ word
        characters), as with ``"word"``; a list of string tokens is used as it is (all the
        documents of one call must be of one kind); a :class:`LineCorpus` is read as it
        is. ``"word"``: documents must be raw strings. A callable turns one document into
        a list of tokens."""),
    "memory": ("None, str or joblib.Memory", """Cache the trained model (like
        ``Pipeline(memory=...)``), keyed by the training parameters and a fingerprint of the
        training documents only, so that a ``GridSearchCV`` over parameters that do not
        change training trains once per fold. The key is every parameter except
        {non_training}."""),
    "corpus_storage": ('{"auto", "memory", "disk"}', """Where the encoded corpus (4 bytes per token,
        plus 8 per document) lives during ``fit``: in memory, or in memory-mapped files in a
        temporary folder, so that the anonymous memory of ``fit`` stays bounded whatever the
        corpus size (the operating system keeps the files in its page cache while there is
        room). ``"auto"`` is ``"disk"`` for a :class:`LineCorpus` of more than 1 GiB of files,
        else ``"memory"``. The files are removed on success, error, interrupt and
        ``SIGTERM``; the vectors are the same either way."""),
    "temp_folder": ("str or path-like", """Folder for ``corpus_storage="disk"``: by default
        ``JOBLIB_TEMP_FOLDER`` if set, else the system's temporary folder."""),
}  # fmt: skip

#: Constraints of the shared parameters.
SHARED_CONSTRAINTS: dict[str, list] = {
    "vector_size": [Interval(Integral, 1, driver.MAX_VECTOR_SIZE, closed="both")],
    "window": [Interval(Integral, 1, driver.MAX_WINDOW, closed="both")],
    "min_count": [Interval(Integral, 1, None, closed="left")],
    "sample": [Interval(Real, 0, None, closed="left")],
    "negative": [Interval(Integral, 0, driver.MAX_NEGATIVE, closed="both")],
    "ns_exponent": [Interval(Real, None, None, closed="neither")],
    "alpha": [Interval(Real, 0, None, closed="neither")],
    "min_alpha": [Interval(Real, 0, None, closed="left")],
    "epochs": [Interval(Integral, 1, driver.MAX_EPOCHS, closed="both")],
    "objective": [StrOptions(set(driver.OBJECTIVES))],
    "shrink_windows": ["boolean"],
    "shared_negatives": ["boolean"],
    "compute_loss": ["boolean"],
    "n_jobs": [Integral, None],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
    "analyzer": [None, StrOptions({"word"}), callable],
    "memory": [None, str, HasMethods(["cache"])],
    "corpus_storage": [StrOptions({"auto", "memory", "disk"})],
    "temp_folder": [None, str, os.PathLike],
}
assert list(SHARED_CONSTRAINTS) == list(SHARED_PARAMETERS)


def _shown(value: object) -> str:
    """A default as the documentation shows it (``1e-3``, not ``0.001``)."""
    if isinstance(value, float) and 0 < value < 0.01:
        return f"{value:.0e}".replace("e-0", "e-")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 100_000:
        return f"{value:_}"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def document_parameters(cls: type) -> type:
    """Fill each ``    {name}`` line of ``cls.__doc__`` naming a shared parameter with its
    numpydoc entry (type, ``cls``'s default, description)."""
    signature = inspect.signature(cls.__init__)
    defaults = {name: parameter.default for name, parameter in signature.parameters.items()}
    non_training = ", ".join(
        f"``{name}``" for name in sorted(getattr(cls, "_non_training_parameters", ()))
    )
    lines = []
    for line in cls.__doc__.split("\n"):
        name = line.strip()[1:-1] if line.strip().startswith("{") else None
        if name in SHARED_PARAMETERS and name in defaults:
            kind, text = SHARED_PARAMETERS[name]
            text = text.replace("{non_training}", non_training)
            lines.append(f"    {name} : {kind}, default={_shown(defaults[name])}")
            text = " ".join(text.split())
            lines.append(textwrap.fill(text, 88, initial_indent=" " * 8, subsequent_indent=" " * 8))
        else:
            lines.append(line)
    cls.__doc__ = "\n".join(lines)
    return cls


class TrainedModel(BaseEstimator):
    """Base of the estimators that train vectors from documents: the shared parameters,
    the corpus storage, reading and encoding the corpus, the training cache and the
    report attributes."""

    _parameter_constraints: ClassVar[dict] = SHARED_CONSTRAINTS

    #: Parameters that never change what is trained: threads and printing, the cache
    #: itself, where the corpus lives, and the analyzer (whose effect on the tokens the
    #: corpus fingerprint covers). They are left out of the ``memory`` cache key; every
    #: other parameter, one a subclass adds included, is in it. Subclasses extend it.
    _non_training_parameters: ClassVar[frozenset] = frozenset(
        {"n_jobs", "verbose", "memory", "corpus_storage", "temp_folder", "analyzer"}
    )

    def __setstate__(self, state: dict) -> None:
        # a parameter added since the object was pickled takes its default, so that
        # pickles of earlier releases keep loading (Doc2VecTransformer's memory, say)
        for name, parameter in inspect.signature(type(self).__init__).parameters.items():
            if parameter.default is not inspect.Parameter.empty:
                state.setdefault(name, parameter.default)
        super().__setstate__(state)

    def _store_parameters(self, arguments: dict) -> None:
        """``__init__``'s only work: store each keyword argument under its name
        (``arguments`` is the ``locals()`` of ``__init__``, read before anything else)."""
        for name, value in arguments.items():
            if name not in ("self", "__class__"):
                setattr(self, name, value)

    def _training_parameters(self) -> dict:
        """The parameters that determine the trained model (and the ``memory`` key):
        ``get_params()`` less :attr:`_non_training_parameters`."""
        return {
            name: value
            for name, value in self.get_params(deep=False).items()
            if name not in self._non_training_parameters
        }

    def _storage(self, X) -> CorpusStorage:
        """Where this fit's corpus-sized arrays live (``corpus_storage``)."""
        on_disk = self.corpus_storage == "disk" or (
            self.corpus_storage == "auto" and isinstance(X, LineCorpus)
            and sum(path.stat().st_size for path in X.paths) > AUTO_DISK_BYTES
        )  # fmt: skip
        return CorpusStorage(on_disk, self.temp_folder)

    def _read_corpus(
        self, X, storage: CorpusStorage, n_threads: int, rare: dict | None = None
    ) -> tuple[Vocabulary, EncodedCorpus]:
        """Read, encode and check the training documents: the vocabulary of the words
        seen ``min_count`` times, and the corpus encoded with it (in ``storage``).
        ``rare`` collects the counts of the words left out."""
        types, provisional = count_and_encode(self._documents(X, materialize=False),
                                              storage=storage, n_threads=n_threads)  # fmt: skip
        if provisional.n_tokens == 0:
            raise ValueError(
                "The training corpus is empty: X holds no tokens. Pass documents with at "
                "least one word each."
            )
        vocabulary, corpus = build_vocabulary(types, provisional, self.min_count, rare, storage)
        if self.verbose:
            print(f"[skw2v] vocabulary: {len(vocabulary):,} words, {corpus.n_tokens:,} tokens in "
                  f"{corpus.n_documents:,} documents; training on {n_threads} thread(s)",
                  file=sys.stderr, flush=True)  # fmt: skip
        return vocabulary, corpus

    def _train(
        self, train: Callable, vocabulary: Vocabulary, corpus: EncodedCorpus, n_threads: int
    ) -> driver.TrainedVectors:
        """``train(params, fingerprint, vocabulary=, corpus=, n_threads=, verbose=)``,
        through the ``memory`` cache (keyed by the training parameters and the corpus's
        fingerprint) when one is set."""
        cached = check_memory(self.memory).cache(
            train, ignore=["vocabulary", "corpus", "n_threads", "verbose"]
        )
        # the fingerprint (a hash of the whole corpus) is only needed as a cache key
        fingerprint = "" if self.memory is None else driver.corpus_fingerprint(vocabulary, corpus)
        return cached(self._training_parameters(), fingerprint, vocabulary=vocabulary,
                      corpus=corpus, n_threads=n_threads, verbose=self.verbose)  # fmt: skip

    def _set_report(self, trained: driver.TrainedVectors, corpus: EncodedCorpus) -> None:
        """The attributes that describe a fit."""
        self.n_training_words_ = corpus.n_tokens
        self.effective_words_ = trained.report.effective_words
        self.training_seconds_ = float(sum(trained.report.seconds))
        self.loss_history_ = trained.report.loss if self.compute_loss else None
