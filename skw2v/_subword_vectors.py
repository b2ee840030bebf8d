"""``SubwordVectors``: word vectors that also compose vectors for unseen words from their
character n-grams (fastText)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from ._io.fasttext_format import (
    LOSS_NS,
    MODEL_SKIPGRAM,
    FacebookModel,
    read_facebook,
    write_facebook,
)
from ._io.word2vec_format import check_limit
from ._kernels.subwords import composed_vectors
from ._state import InconsistentStateError, check_array, inconsistent
from ._training.corpus import EncodedCorpus, GrowingLookup, drop_ids, encode
from ._vectors import WordVectors, check_word_vectors


class SubwordVectors(WordVectors):
    """Word vectors with fastText subword information.

    The input matrix holds one row per vocabulary word, then ``buckets`` rows of hashed
    character n-grams (Facebook fastText's layout). A vocabulary word's vector is the
    mean of its own row and its n-gram rows; a word outside the vocabulary gets the mean
    of its n-gram rows, so misspellings, inflections and rare words still have vectors.
    ``word in wv`` still means "in the vocabulary"; ``wv[word]``, similarity queries
    and document transforms accept any word with at least one n-gram.

    Parameters
    ----------
    input_matrix : ndarray of shape (n_words + buckets, vector_size)
        Word rows, then n-gram bucket rows; stored as float32 (not copied when it is a
        C-contiguous float32 array).
    index_to_key : sequence of str
        The vocabulary, one word per word row.
    counts : array-like of shape (n_words,), default=None
        Corpus frequency of each word.
    min_n, max_n : int, default=3, 6
        Lengths of the character n-grams, in characters, of ``<word>``.

    Attributes
    ----------
    vectors : ndarray of shape (n_words, vector_size), float32
        The composed vectors of the vocabulary words (what similarity searches rank).
    input_matrix : ndarray of shape (n_words + buckets, vector_size), float32
    vectors_vocab : ndarray of shape (n_words, vector_size)
        View of the word rows of ``input_matrix``.
    vectors_ngrams : ndarray of shape (buckets, vector_size)
        View of the n-gram rows of ``input_matrix``.
    buckets : int
    min_n, max_n : int

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v import SubwordVectors
    >>> rng = np.random.default_rng(0)
    >>> wv = SubwordVectors(rng.normal(size=(2 + 100, 4)), ["walk", "talk"], min_n=3, max_n=4)
    >>> "walked" in wv, wv["walked"].shape
    (False, (4,))
    """

    def __init__(
        self,
        input_matrix: np.ndarray,
        index_to_key: Sequence[str],
        counts: np.ndarray | None = None,
        *,
        min_n: int = 3,
        max_n: int = 6,
    ) -> None:
        matrix = np.ascontiguousarray(input_matrix, dtype=np.float32)
        keys = list(index_to_key)
        if matrix.ndim != 2 or matrix.shape[0] <= len(keys):
            raise ValueError(
                f"input_matrix must be 2-D with more rows than the {len(keys)} words (the "
                f"rest are n-gram buckets); got shape {matrix.shape}."
            )
        _check_lengths(min_n, max_n)
        self.input_matrix = matrix
        self.min_n = int(min_n)
        self.max_n = int(max_n)
        own = np.arange(len(keys), dtype=np.int64)
        vectors, _ = composed_vectors(keys, matrix, len(keys), self.min_n, self.max_n, own)
        super().__init__(vectors, keys, counts)

    @property
    def buckets(self) -> int:
        return int(self.input_matrix.shape[0] - len(self.index_to_key))

    @property
    def vectors_vocab(self) -> np.ndarray:
        return self.input_matrix[: len(self.index_to_key)]

    @property
    def vectors_ngrams(self) -> np.ndarray:
        return self.input_matrix[len(self.index_to_key) :]

    def __repr__(self) -> str:
        return (
            f"SubwordVectors(n_words={len(self)}, vector_size={self.vector_size}, "
            f"buckets={self.buckets}, min_n={self.min_n}, max_n={self.max_n})"
        )

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        check_subword_vectors(self)

    # ------------------------------------------------------------------ unseen words
    def unseen_vectors(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of ``words`` composed from their n-grams only (as for unseen words).

        Returns the ``(len(words), vector_size)`` float32 vectors and a boolean mask of
        the words that have at least one n-gram (the others are zero rows).
        """
        vectors, used = composed_vectors(list(words), self.input_matrix, len(self),
                                         self.min_n, self.max_n)  # fmt: skip
        return vectors, used > 0

    def _unseen_vector(self, key: str) -> np.ndarray:
        if not isinstance(key, str):
            raise KeyError(f"Word {key!r} is not in the vocabulary (and is not a str).")
        vectors, known = self.unseen_vectors([key])
        if not known[0]:
            raise KeyError(
                f"Word {key!r} is not in the vocabulary and has no character n-gram of "
                f"{self.min_n} to {self.max_n} characters to compose a vector from."
            )
        return vectors[0]

    def get_vector(self, key: str, norm: bool = False) -> np.ndarray:
        """The vector of ``key``: its composed vector if it is in the vocabulary, else the
        mean of its n-gram vectors (``KeyError`` if it has none). ``norm``: unit length."""
        if key in self.key_to_index:
            return super().get_vector(key, norm)
        vector = self._unseen_vector(key)
        if norm:
            length = np.linalg.norm(vector)
            return vector / length if length > 0 else vector
        return vector

    def _lookup_query(self, key: str) -> tuple[np.ndarray, int | None]:
        if key in self.key_to_index:
            return super()._lookup_query(key)
        return self._unseen_vector(key), None

    # ------------------------------------------------------------------ documents
    def encode_with_unseen(self, documents, *, name: str = "X") -> tuple[EncodedCorpus, np.ndarray]:
        """Encode documents, giving every unseen word with an n-gram a row after the
        vocabulary's; returns the corpus and the vocabulary vectors with those rows
        appended (composed in numba, once per distinct unseen word)."""
        lookup = GrowingLookup(self.key_to_index)
        corpus = encode(documents, lookup, name=name)
        if not lookup.unseen:
            return corpus, self.vectors
        extra, known = self.unseen_vectors(lookup.unseen)
        if not known.all():  # words without any n-gram: drop their tokens
            keep_rows = np.concatenate([np.ones(len(self), bool), known])
            new_index = np.cumsum(keep_rows) - 1
            keep = keep_rows[corpus.ids]
            ids, indptr = drop_ids(corpus.ids, corpus.indptr, keep)
            corpus = EncodedCorpus(ids=new_index[ids].astype(np.int32), indptr=indptr)
            extra = extra[known]
        return corpus, np.concatenate([self.vectors, extra])

    # ------------------------------------------------------------------ files
    def save_facebook_format(self, path: str | os.PathLike) -> None:
        """Write a Facebook fastText ``.bin`` model (read by fastText and gensim's
        ``load_facebook_model``) with these vectors and a zero output layer.

        A fitted :class:`Word2VecTransformer` writes its real output layer and training
        parameters with :meth:`Word2VecTransformer.save_facebook_model`.
        """
        write_facebook(path, facebook_model(self))

    @classmethod
    def load_facebook_format(cls, path: str | os.PathLike, limit: int | None = None):
        """Read the input vectors of a Facebook fastText ``.bin`` model (such as the
        pretrained ``cc.*.300.bin``); a model without n-grams gives a
        :class:`WordVectors`. ``limit`` keeps only the first ``limit`` words."""
        check_limit(limit)  # before reading a file of gigabytes
        return vectors_of_facebook_model(read_facebook(path, with_output=False), limit)


def vectors_of_facebook_model(model: FacebookModel, limit: int | None = None) -> WordVectors:
    """The input vectors of a read ``.bin`` model as :class:`SubwordVectors` (or
    :class:`WordVectors` for a model without n-grams), keeping the first ``limit`` words."""
    check_limit(limit)
    n = len(model.words)
    keep = n if limit is None else min(int(limit), n)
    if not model.has_subwords:
        return WordVectors(model.input_matrix[:keep], model.words[:keep], model.counts[:keep])
    matrix = first_words_matrix(model.input_matrix, n, keep)
    return SubwordVectors(matrix, model.words[:keep], model.counts[:keep],
                          min_n=model.args["minn"], max_n=model.args["maxn"])  # fmt: skip


def facebook_model(
    wv: SubwordVectors, output_matrix: np.ndarray | None = None, **args
) -> FacebookModel:
    """A ``.bin`` model of ``wv`` (a zero output layer unless given); ``args`` set the
    header's training arguments (and ``t``, the sampling threshold)."""
    dim = wv.vector_size
    header = dict(dim=dim, ws=5, epoch=5, min_count=5, neg=5, word_ngrams=1, loss=LOSS_NS,
                  model=MODEL_SKIPGRAM, bucket=wv.buckets, minn=wv.min_n, maxn=wv.max_n,
                  lr_update_rate=100)  # fmt: skip
    t = float(args.pop("t", 1e-4))
    header.update(args)
    if output_matrix is None:
        output_matrix = np.zeros((len(wv), dim), dtype=np.float32)
    return FacebookModel(header, list(wv.index_to_key), np.asarray(wv.counts, np.int64),
                         int(wv.counts.sum()), wv.input_matrix, output_matrix, t)  # fmt: skip


def first_words_matrix(matrix: np.ndarray, n_words: int, keep: int) -> np.ndarray:
    """The input matrix of the first ``keep`` of ``n_words`` words and every n-gram bucket
    (``matrix`` itself when all words are kept)."""
    if keep >= n_words:
        return matrix
    return np.concatenate([matrix[:keep], matrix[n_words:]])


def _check_lengths(min_n: object, max_n: object) -> None:
    ok = (
        isinstance(min_n, (int, np.integer)) and isinstance(max_n, (int, np.integer))
        and not isinstance(min_n, bool) and not isinstance(max_n, bool)
        and 1 <= min_n <= max_n
    )  # fmt: skip
    if not ok:
        raise ValueError(
            f"n-gram lengths must be integers with 1 <= min_n <= max_n; got min_n={min_n!r}, "
            f"max_n={max_n!r}."
        )


def check_subword_vectors(wv, owner: str = "SubwordVectors") -> None:
    """What the n-gram kernels read fits together (for loaded or unpickled vectors)."""
    check_word_vectors(wv, owner)
    matrix = getattr(wv, "input_matrix", None)
    check_array(owner, "input_matrix", matrix, np.float32, 2, (None, wv.vectors.shape[1]))
    if not matrix.flags.c_contiguous or matrix.shape[0] <= len(wv.index_to_key):
        raise inconsistent(owner, "input_matrix is not C-contiguous, or lacks the word rows "
                                  "and at least one n-gram bucket row")  # fmt: skip
    try:
        _check_lengths(wv.min_n, wv.max_n)
    except ValueError as exc:
        raise InconsistentStateError(f"{owner} has inconsistent state: {exc}") from None
