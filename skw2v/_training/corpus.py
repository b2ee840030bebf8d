"""Input validation and encoding of documents into CSR arrays of word ids.

Everything the numba kernels see is produced here: a flat ``int32`` array of word ids and
an ``int64`` ``indptr`` array of document boundaries. The loops that touch every token run
in C (``map`` over a ``dict`` method feeding ``np.fromiter``); Python code runs once per
document (validation) or once per word type, never once per token.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np

from .._io import storage
from .._io.storage import Appender, CorpusStorage, cumsum_into, indptr_after_drops
from .._kernels import tokenize

_DOC_TYPES = (list, tuple, np.ndarray)


@dataclass(frozen=True)
class EncodedCorpus:
    """Documents as CSR arrays: the ids of document ``d`` are ``ids[indptr[d]:indptr[d + 1]]``."""

    ids: np.ndarray
    indptr: np.ndarray

    @property
    def n_documents(self) -> int:
        return self.indptr.shape[0] - 1

    @property
    def n_tokens(self) -> int:
        return int(self.ids.shape[0])


class InvalidDocumentError(TypeError):
    """A document (or the collection of documents) is not what the estimator takes."""


def _describe(obj: object) -> str:
    text = repr(obj)
    return text if len(text) <= 60 else text[:57] + "..."


def check_collection(X: object, *, name: str = "X") -> None:
    """Raise a clear ``TypeError`` when ``X`` is not a collection of documents at all."""
    if X is None:
        raise InvalidDocumentError(
            f"{name} is None; pass an iterable of documents, each a list of string tokens, "
            'e.g. [["the", "cat", "sat"], ["dogs", "bark"]].'
        )
    if isinstance(X, (str, bytes)):
        raise InvalidDocumentError(
            f"{name} is a single string; pass an iterable of documents: raw strings or token "
            "lists, e.g. [text] for one document. To read text files (one document per line), "
            "pass skw2v.LineCorpus(path)."
        )
    if isinstance(X, os.PathLike):
        raise InvalidDocumentError(
            f"{name} is a path; to read text files (one document per line), pass "
            f"skw2v.LineCorpus({str(X)!r})."
        )
    if not hasattr(X, "__iter__"):
        raise InvalidDocumentError(
            f"{name} must be an iterable of documents (each a list of string tokens); got a "
            f"non-iterable {type(X).__name__}."
        )
    if _is_data_frame(X):
        raise InvalidDocumentError(
            f"{name} is a {type(X).__name__}; iterating it gives its column names, not "
            "documents. Pass one column, e.g. X['text'] (a Series of raw strings or of token "
            "lists)."
        )


def _is_data_frame(X: object) -> bool:
    return hasattr(X, "columns") and hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2


def iter_documents(X: object, *, name: str = "X") -> Iterator:
    """Yield the documents of ``X``, raising a clear error for anything not a token list."""
    check_collection(X, name=name)
    for position, doc in enumerate(iter(X)):
        if isinstance(doc, (str, bytes)):
            raise InvalidDocumentError(
                f"Document {position} of {name} is a {type(doc).__name__} ({_describe(doc)}), "
                "where a list of string tokens is expected. Decode bytes to str (raw strings "
                "are tokenized by the estimators' analyzer), or tokenize first; a flat list of "
                "words is one document: wrap it as [words]."
            )
        if not isinstance(doc, _DOC_TYPES) or (isinstance(doc, np.ndarray) and doc.ndim != 1):
            kind = f"{doc.ndim}-D array" if isinstance(doc, np.ndarray) else type(doc).__name__
            raise InvalidDocumentError(
                f"Document {position} of {name} is a {kind} ({_describe(doc)}); each document "
                "must be a list or tuple (or 1-D array) of string tokens."
            )
        yield doc


class _LengthRecorder:
    """Iterate documents while recording their lengths (one Python step per document);
    with ``spill``, full blocks of lengths go to that appender (bounded memory)."""

    def __init__(self, documents: Iterable, spill: Appender | None = None) -> None:
        self._documents = documents
        self._spill = spill
        self.lengths: list[int] = []
        self.n_recorded = 0

    def __iter__(self) -> Iterator:
        append = self.lengths.append
        for doc in self._documents:
            append(len(doc))
            self.n_recorded += 1
            if self._spill is not None and len(self.lengths) >= storage.BLOCK:
                self._spill.append(np.array(self.lengths, dtype=np.int64))
                self.lengths.clear()
            yield doc

    def all_lengths(self):
        if self._spill is None:
            return self.lengths
        self._spill.append(np.array(self.lengths, dtype=np.int64))
        self.lengths.clear()
        return self._spill.finish()


def is_token_list_sequence(X: object) -> bool:
    """True for a list/tuple whose items are all lists or tuples (checked in C)."""
    if not isinstance(X, (list, tuple)):
        return False
    return all(issubclass(kind, (list, tuple)) for kind in set(map(type, X)))


class _TokenStream:
    """All tokens of ``X`` as one iterator; document lengths are known once it is consumed.

    A list or tuple of token lists takes a fast path where every per-document and
    per-token step runs in C; anything else (generators, other iterables) is validated
    and measured one document at a time in Python.
    """

    def __init__(
        self, X: object, name: str, first_document: int = 0, storage: CorpusStorage | None = None
    ) -> None:
        check_collection(X, name=name)
        self._X = X
        self.name = name
        self._first = first_document
        self._storage = storage
        spill = storage.appender("lengths", np.int64) if storage and storage.on_disk else None
        self._blocks: Appender | None = None
        blocks = getattr(X, "document_blocks", None)
        if callable(blocks):  # a LineCorpus: blocks of documents, measured per block
            self._blocks = spill or (storage or CorpusStorage()).appender("lengths", np.int64)
            self._recorder, self._block, self._n_before = None, [], 0
            documents = map(itertools.chain.from_iterable, self._measured(blocks()))
            self.tokens = itertools.chain.from_iterable(documents)
        elif is_token_list_sequence(X):
            self._lengths = np.fromiter(map(len, X), dtype=np.int64, count=len(X))
            self._recorder = None
            self.tokens = itertools.chain.from_iterable(X)
        else:
            self._recorder = _LengthRecorder(iter_documents(X, name=name), spill)
            self.tokens = itertools.chain.from_iterable(self._recorder)

    def _measured(self, blocks: Iterable[list]) -> Iterator[list]:
        for block in blocks:
            self._n_before = self._blocks.length
            self._blocks.append(np.fromiter(map(len, block), dtype=np.int64, count=len(block)))
            self._block = block
            yield block

    def indptr(self, n_read: int) -> np.ndarray:
        """Document boundaries from the documents' ``len()``, checked against the
        ``n_read`` tokens their iteration yielded (the kernels trust these offsets)."""
        if self._blocks is not None:
            lengths = self._blocks.finish()
        else:
            lengths = self._lengths if self._recorder is None else self._recorder.all_lengths()
        indptr = indptr_of(lengths, self._storage)
        if indptr[-1] != n_read:
            raise InvalidDocumentError(
                f"The documents of {self.name} yield {n_read:,} tokens when iterated, but "
                f"their len() adds up to {int(indptr[-1]):,}"
                + self._first_inconsistent()
                + ". A document's len() must equal the number of tokens it yields; pass plain "
                "lists or tuples of tokens."
            )
        return indptr

    def _first_inconsistent(self) -> str:
        if self._recorder is not None or self._blocks is not None:  # read once only
            return ""
        for i, doc in enumerate(self._X):
            if len(doc) != sum(1 for _ in doc):
                return f" (document {self._first + i} is the first that differs)"
        return ""

    def error_document(self, is_bad) -> int:
        """Index of the document being read when a token failed ``is_bad``."""
        if self._blocks is not None:
            inside = next((i for i, doc in enumerate(self._block) if any(map(is_bad, doc))), 0)
            return self._first + self._n_before + inside
        if self._recorder is not None:
            return self._first + self._recorder.n_recorded - 1
        return self._first + next(i for i, doc in enumerate(self._X) if any(map(is_bad, doc)))


def _unhashable(token: object) -> bool:
    try:
        hash(token)
    except TypeError:
        return True
    return False


def _not_a_string(token: object) -> bool:
    return not isinstance(token, str)


def indptr_of(lengths, storage: CorpusStorage | None = None) -> np.ndarray:
    """Document offsets from document lengths (in ``storage`` when given)."""
    if storage is None or not storage.on_disk:
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.asarray(lengths, dtype=np.int64), out=indptr[1:])
        return indptr
    indptr = storage.empty("indptr", len(lengths) + 1, np.int64)
    cumsum_into(lengths, indptr)
    return indptr


#: Tokens are encoded in chunks of this many ids, so memory grows without reallocation.
ENCODE_CHUNK = 1 << 20

#: A list of token lists with at least this many tokens is counted in a kernel
#: (:func:`_count_joined`); a smaller one, where that saves under a millisecond, with a
#: dict, so that a first small fit does not wait for the kernel's compilation.
JOINED_MIN_TOKENS = 1 << 16

#: :func:`_count_joined` joins and counts batches of about this many tokens.
JOINED_BATCH_TOKENS = 1 << 18


@dataclass
class ProvisionalCorpus:
    """Documents encoded with provisional ids (order of first appearance), in chunks."""

    chunks: list[np.ndarray]
    indptr: np.ndarray

    @property
    def n_tokens(self) -> int:
        return int(self.indptr[-1])


def _first_bad_token(types: list, corpus: ProvisionalCorpus) -> tuple | None:
    """Return ``(document, token)`` for the first non-string token type, or ``None``."""
    for type_id, token in enumerate(types):
        if not isinstance(token, str):
            offset = 0
            for chunk in corpus.chunks:
                hits = np.flatnonzero(chunk == type_id)
                if hits.shape[0]:
                    position = offset + int(hits[0])
                    break
                offset += chunk.shape[0]
            document = int(np.searchsorted(corpus.indptr, position, side="right") - 1)
            return document, token
    return None


def _non_string_error(name: str, document: int, token: object) -> TypeError:
    return TypeError(
        f"Document {document} of {name} contains a non-string token {_describe(token)} of type "
        f"{type(token).__name__}; every token must be a str. Convert tokens first, e.g. "
        "[[str(t) for t in doc] for doc in X]."
    )


def count_and_encode(
    X: object, *, name: str = "X", storage: CorpusStorage | None = None, n_threads: int = 1
) -> tuple[list[str], ProvisionalCorpus]:
    """Read ``X`` once: assign every word type an id in order of first appearance.

    Returns the list of types (index = provisional id) and the corpus encoded with those
    ids (``int32`` chunks). ``X`` may be a one-shot generator: it is iterated exactly once.
    The corpus-sized arrays come from ``storage`` (in memory by default). A large list
    of token lists is counted in a kernel, on a second thread when ``n_threads > 1``.
    """
    storage = storage or CorpusStorage()
    fast = getattr(X, "encode_provisional", None)  # a LineCorpus splits and hashes bytes
    if callable(fast):
        encoded = fast(storage)
        if encoded is not None:
            return encoded
    if is_token_list_sequence(X):  # a list or tuple: nothing check_collection refuses
        encoded = _count_joined(X, storage, n_threads)
        if encoded is not None:
            return encoded
    stream = _TokenStream(X, name, storage=storage)
    type_ids: defaultdict = defaultdict(itertools.count().__next__)
    ids = map(type_ids.__getitem__, stream.tokens)
    provisional = storage.appender("provisional-ids", np.int32)
    try:
        while True:
            chunk = np.fromiter(itertools.islice(ids, ENCODE_CHUNK), dtype=np.int32)
            provisional.append(chunk)
            if chunk.shape[0] < ENCODE_CHUNK:
                break
    except InvalidDocumentError:
        raise
    except TypeError as exc:
        if "unhashable" not in str(exc):
            raise
        raise TypeError(
            f"Document {stream.error_document(_unhashable)} of {name} contains an unhashable "
            f"token ({exc}); every token must be a str."
        ) from None
    corpus = ProvisionalCorpus(chunks=provisional.finish_blocks(),
                               indptr=stream.indptr(provisional.length))  # fmt: skip
    types = list(type_ids)
    bad = _first_bad_token(types, corpus)
    if bad is not None:
        raise _non_string_error(name, *bad)
    return types, corpus


TOKEN_SEPARATOR = "\x00"
DOCUMENT_SEPARATOR = "\x01"


def join_tokens(documents: list | tuple) -> tuple[np.ndarray, np.ndarray] | None:
    """The UTF-8 bytes of every token of ``documents`` (lists or tuples of tokens), the
    tokens of a document joined by ``"\x00"`` and the documents by ``"\x01"``, and the
    documents' lengths; ``None`` for a token that is not a ``str`` or that UTF-8 cannot
    encode."""
    data = _joined_bytes(documents)
    if data is None:
        return None
    return data, np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))


def _joined_bytes(documents: list | tuple) -> np.ndarray | None:
    """:func:`join_tokens`'s bytes alone."""
    try:
        text = DOCUMENT_SEPARATOR.join(map(TOKEN_SEPARATOR.join, documents))
        data = text.encode("utf-8")
    except (TypeError, UnicodeEncodeError):
        return None
    return np.frombuffer(data, dtype=np.uint8)


class _JoinedCounter:
    """The state of :func:`_count_joined`: the table of the types seen so far and the
    ids of the batches counted so far (in ``storage``)."""

    def __init__(self, storage: CorpusStorage) -> None:
        self.table = tokenize.new_table()
        self.state = np.zeros(6, dtype=np.int64)
        self.provisional = storage.appender("provisional-ids", np.int32)

    def count(
        self, data: np.ndarray, lengths: np.ndarray, started: threading.Event | None = None
    ) -> bool:
        """Count the next batch: its joined bytes and its documents' lengths (as
        :func:`join_tokens` gives them); ``False`` when a token held a separator.
        ``started`` is set just before the kernel runs."""
        state = self.state
        try:
            ids = np.empty(int(lengths.sum()), dtype=np.int32)
            n_types = int(state[tokenize.J_TYPES]) + ids.shape[0]
            n_bytes = int(state[tokenize.J_BYTES]) + data.shape[0] + 1
            self.table = tokenize.with_room(self.table, n_types, n_bytes)
            state[[tokenize.J_POS, tokenize.J_DOC, tokenize.J_PIECE, tokenize.J_IDS]] = 0
        finally:  # also when the preparation fails, or the main thread would wait forever
            if started is not None:
                started.set()
        status = tokenize.count_joined(data, lengths, self.table, ids, state)
        while status == tokenize.GROW:  # the slots are half full: twice as many
            self.table = tokenize.grown(self.table, int(state[tokenize.J_TYPES]),
                                        int(state[tokenize.J_BYTES]), 0)  # fmt: skip
            status = tokenize.count_joined(data, lengths, self.table, ids, state)
        if status == tokenize.MISMATCH:
            return False
        self.provisional.append(ids)
        return True

    def types(self) -> list[str]:
        raw = memoryview(self.table.type_bytes[: int(self.state[tokenize.J_BYTES])])
        return str(raw, "utf-8").split(TOKEN_SEPARATOR)[:-1]


def _count_joined(X: list | tuple, storage: CorpusStorage, n_threads: int = 1) -> tuple | None:
    """:func:`count_and_encode` of a list or tuple of token lists in a kernel: batches of
    ``JOINED_BATCH_TOKENS`` tokens joined into UTF-8 bytes (:func:`join_tokens`, in C)
    are split, hashed and numbered by :func:`~skw2v._kernels.tokenize.count_joined`,
    without a Python lookup per token; with ``n_threads > 1`` the kernel counts a batch
    on a worker thread while the main thread joins the next one. (The join holds the GIL
    until it is done, so the main thread starts it only once the worker is about to
    enter the kernel, which releases the GIL: started before, it kept the worker out and
    two threads took as long as one, 0.147 s against 0.141 s on the 2.8 million tokens of
    the benchmark corpus's first 200,000 lines.) Two strings are equal
    if and only if their UTF-8 bytes are, so the result is the dict's. ``None`` (nothing
    kept) when a token is not a ``str``, cannot be encoded or holds a separator: the dict
    path then encodes the corpus, or raises its usual error."""
    lengths = np.fromiter(map(len, X), dtype=np.int64, count=len(X))
    ends = np.cumsum(lengths)
    if not len(X) or ends[-1] < JOINED_MIN_TOKENS:
        return None
    counter = _JoinedCounter(storage)
    with ThreadPoolExecutor(max_workers=1) if n_threads > 1 else nullcontext() as pool:
        pending = None
        first = 0
        while first < len(X):
            done = int(ends[first - 1]) if first else 0
            stop = int(np.searchsorted(ends, done + JOINED_BATCH_TOKENS, side="right"))
            stop = max(stop, first + 1)
            data = _joined_bytes(X[first:stop])
            if data is None or (pending is not None and not pending.result()):
                return None
            if pool is None:
                if not counter.count(data, lengths[first:stop]):
                    return None
            else:
                started = threading.Event()
                pending = pool.submit(counter.count, data, lengths[first:stop], started)
                started.wait()
            first = stop
        if pending is not None and not pending.result():
            return None
    corpus = ProvisionalCorpus(chunks=counter.provisional.finish_blocks(),
                               indptr=indptr_of(lengths, storage))  # fmt: skip
    return counter.types(), corpus


class TokenLookup(dict):
    """A word -> row mapping for encoding: unknown strings map to -1, non-strings raise.

    ``__missing__`` runs only for tokens outside the vocabulary; known tokens are looked up
    in C.
    """

    __slots__ = ()

    def __missing__(self, token: object) -> int:
        if isinstance(token, str):
            return -1
        raise _NonStringToken(token)


class GrowingLookup(TokenLookup):
    """Encoding lookup that numbers unseen string tokens after the vocabulary."""

    __slots__ = ("unseen",)

    def __init__(self, known: dict) -> None:
        super().__init__(known)
        self.unseen: list[str] = []

    def __missing__(self, token: object) -> int:
        if not isinstance(token, str):
            return super().__missing__(token)
        row = len(self)
        self[token] = row
        self.unseen.append(token)
        return row


class _NonStringToken(Exception):
    def __init__(self, token: object) -> None:
        super().__init__(token)
        self.token = token


def encode(
    X: object, lookup: TokenLookup, *, name: str = "X", first_document: int = 0
) -> EncodedCorpus:
    """Encode ``X`` with a fixed vocabulary; unknown words are dropped (as in word2vec.c).

    Non-string tokens raise ``TypeError`` like in :func:`count_and_encode`; error messages
    number documents from ``first_document`` (for batches of a larger ``X``).
    """
    stream = _TokenStream(X, name, first_document)
    try:
        ids = np.fromiter(map(lookup.__getitem__, stream.tokens), dtype=np.int32)
    except _NonStringToken as exc:
        document = stream.error_document(_not_a_string)
        raise _non_string_error(name, document, exc.token) from None
    except InvalidDocumentError:
        raise
    except TypeError as exc:
        raise TypeError(
            f"Document {stream.error_document(_unhashable)} of {name} contains an invalid "
            f"token ({exc}); every token must be a str."
        ) from None
    indptr = stream.indptr(ids.shape[0])
    known = ids >= 0
    if not known.all():
        ids, indptr = drop_ids(ids, indptr, known)
    return EncodedCorpus(ids=ids, indptr=indptr)


def drop_ids(ids: np.ndarray, indptr: np.ndarray, keep: np.ndarray):
    """Remove the tokens where ``keep`` is false and rebuild ``indptr`` accordingly.

    Works on the (usually few) dropped positions only, so no corpus-sized int64
    temporaries are made.
    """
    dropped_at = np.flatnonzero(~keep)
    document = np.searchsorted(indptr, dropped_at, side="right") - 1
    dropped_per_doc = np.bincount(document, minlength=indptr.shape[0] - 1)
    new_indptr = np.empty_like(indptr)
    indptr_after_drops(indptr, dropped_per_doc, new_indptr)
    return ids[keep], new_indptr


def analyzed_documents(X: object, analyzer, *, name: str = "X"):
    """Token lists from ``X`` according to ``analyzer``, lazily (one document at a time).

    ``None``: token lists pass as they are and raw strings are tokenized like
    ``"word"`` (all the documents of ``X`` must be of one kind); ``X`` itself is
    returned when it holds token lists only (a list or tuple of lists or tuples, or a
    :class:`LineCorpus`). ``"word"``: raw strings, tokenized exactly like
    scikit-learn's ``CountVectorizer`` default (lowercase,
    ``token_pattern=r"(?u)\\b\\w\\w+\\b"``). A callable: applied to each document.
    """
    if analyzer is None:
        if callable(getattr(X, "document_blocks", None)) or is_token_list_sequence(X):
            return X
        check_collection(X, name=name)
        return _default_documents(iter(X), name)
    if analyzer == "word":
        return _analyze(X, word_analyzer(), "analyzer='word'", name)
    return _analyze(X, analyzer, f"analyzer={analyzer!r}", name)


def word_analyzer():
    """scikit-learn's ``CountVectorizer`` default analyzer."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer().build_analyzer()


def _default_documents(documents, name: str):
    """``analyzer=None``: raw strings tokenized like ``analyzer="word"``, token lists
    as they are; a collection that mixes the two is an error (which a document is meant
    to be would be a guess)."""
    tokenize = None
    first_kind = None
    for position, doc in enumerate(documents):
        is_text = isinstance(doc, str)
        if first_kind is None:
            first_kind = is_text
        elif is_text != first_kind:
            kinds = ("raw strings", "token lists") if first_kind else ("token lists",
                                                                       "raw strings")  # fmt: skip
            raise InvalidDocumentError(
                f"Document {position} of {name} is a {type(doc).__name__} "
                f"({_describe(doc)}), but the documents before it are {kinds[0]}; pass all "
                f"documents as {kinds[0]} or all as {kinds[1]}."
            )
        if is_text:
            if tokenize is None:
                tokenize = word_analyzer()
            yield tokenize(doc)
        else:
            yield doc


def _analyze(X: object, tokenize, label: str, name: str):
    check_collection(X, name=name)
    return _tokenized(iter(X), tokenize, label, name)


def _tokenized(documents, tokenize, label: str, name: str):
    text_only = label == "analyzer='word'"
    for position, doc in enumerate(documents):
        if text_only and not isinstance(doc, str):
            raise InvalidDocumentError(
                f"{label} tokenizes raw text, but document {position} of {name} is a "
                f"{type(doc).__name__} ({_describe(doc)}). Pass strings, or analyzer=None "
                "for documents that are already token lists."
            )
        tokens = tokenize(doc)
        if not isinstance(tokens, (list, tuple)):
            raise InvalidDocumentError(
                f"{label} returned a {type(tokens).__name__} ({_describe(tokens)}) for "
                f"document {position} of {name}; an analyzer must return a list of string "
                "tokens."
            )
        yield tokens
