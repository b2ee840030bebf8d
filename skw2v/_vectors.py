"""``WordVectors``: a vocabulary with one float32 vector per word, and queries on it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import stats
from scipy.linalg.blas import dnrm2, dscal

from ._io.files import first_non_finite_row, open_file
from ._io.word2vec_format import read_word2vec, write_word2vec
from ._kernels.tokenize import TypeTable
from ._state import check_array, inconsistent
from ._training.corpus import TokenLookup
from ._training.joined import vocabulary_table

_Key = str
_Query = str | np.ndarray


def _unitvec(vector: np.ndarray) -> np.ndarray:
    """Unit-length copy computed in double precision, cast back to the input's dtype.

    Same arithmetic as gensim's ``matutils.unitvec`` (BLAS ``dnrm2`` and ``dscal``), so
    similarities agree with gensim's to the last bit.
    """
    length = dnrm2(vector)
    if length <= 0.0:
        return vector
    return dscal(1.0 / length, vector).astype(vector.dtype)


def check_word_vectors(wv, owner: str = "WordVectors") -> None:
    """Vectors, words, mapping and counts of a :class:`~skw2v.WordVectors` agree."""
    check_array(owner, "vectors", wv.vectors, np.float32, 2)
    n_words = wv.vectors.shape[0]
    if not isinstance(wv.index_to_key, list) or not isinstance(wv.key_to_index, dict):
        raise inconsistent(owner, "index_to_key must be a list and key_to_index a dict")
    if len(wv.index_to_key) != n_words:
        raise inconsistent(owner, f"{len(wv.index_to_key)} words for {n_words} vector rows")
    if len(wv.key_to_index) != n_words:
        raise inconsistent(
            owner, f"key_to_index has {len(wv.key_to_index)} entries for {n_words} words"
        )
    for row, key in enumerate(wv.index_to_key):
        if not isinstance(key, str):
            raise inconsistent(owner, f"word {row} is a {type(key).__name__}, not a str")
        if wv.key_to_index.get(key) != row:
            raise inconsistent(
                owner, f"key_to_index maps {key!r} to {wv.key_to_index.get(key)!r}, not {row}"
            )
    check_array(owner, "counts", wv.counts, np.int64, 1)
    if wv.counts.shape[0] != n_words:
        raise inconsistent(owner, f"counts has {wv.counts.shape[0]} entries for {n_words} words")
    if n_words and int(wv.counts.min()) < 0:
        raise inconsistent(owner, "counts holds a negative count")
    if first_non_finite_row(wv.vectors) >= 0:
        raise inconsistent(owner, "vectors holds NaN or infinite values")


class WordVectors:
    """Word vectors with their vocabulary, in descending frequency order.

    Parameters
    ----------
    vectors : ndarray of shape (n_words, vector_size)
        One row per word; stored as float32.
    index_to_key : sequence of str
        The word of each row.
    counts : array-like of shape (n_words,), default=None
        Corpus frequency of each word (zeros when unknown).

    Attributes
    ----------
    vectors : ndarray of shape (n_words, vector_size), float32
    index_to_key : list of str
    key_to_index : dict of str to int
    counts : ndarray of shape (n_words,), int64

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v import WordVectors
    >>> wv = WordVectors(np.eye(3, dtype=np.float32), ["a", "b", "c"])
    >>> wv["b"]
    array([0., 1., 0.], dtype=float32)
    >>> wv.similarity("a", "b")
    0.0
    """

    def __init__(
        self,
        vectors: np.ndarray,
        index_to_key: Sequence[str],
        counts: np.ndarray | None = None,
    ) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D (n_words, vector_size); got {vectors.ndim}-D.")
        keys = list(index_to_key)
        if len(keys) != vectors.shape[0]:
            raise ValueError(
                f"index_to_key has {len(keys)} words but vectors has {vectors.shape[0]} rows."
            )
        self.vectors = vectors
        self.index_to_key = keys
        self.key_to_index = {key: i for i, key in enumerate(keys)}
        if len(self.key_to_index) != len(keys):
            raise ValueError("index_to_key contains duplicate words.")
        self.counts = _checked_counts(counts, len(keys))
        _check_finite_rows(vectors)
        self._unit = None
        self._norms = None
        self._lookup = None
        self._table = None

    # ------------------------------------------------------------------ container
    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, key: object) -> bool:
        return key in self.key_to_index

    def __getitem__(self, key: _Key) -> np.ndarray:
        return self.get_vector(key)

    def __repr__(self) -> str:
        return f"WordVectors(n_words={len(self)}, vector_size={self.vector_size})"

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_unit"] = state["_norms"] = state["_lookup"] = state["_table"] = None  # caches
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._unit = self._norms = self._lookup = self._table = None
        check_word_vectors(self)

    @property
    def vector_size(self) -> int:
        return int(self.vectors.shape[1])

    def get_index(self, key: _Key) -> int:
        """Row of ``key``; ``KeyError`` naming the word if it is not in the vocabulary."""
        try:
            return self.key_to_index[key]
        except KeyError:
            raise KeyError(f"Word {key!r} is not in the vocabulary.") from None

    def get_vector(self, key: _Key, norm: bool = False) -> np.ndarray:
        """The vector of ``key`` (a view unless ``norm``, then a unit-length copy)."""
        index = self.get_index(key)
        if norm:
            return self._unit_vectors()[index]
        return self.vectors[index]

    def _lookup_query(self, key: _Key) -> tuple[np.ndarray, int | None]:
        """The raw vector of a query word and its row (``None`` for a word outside the
        vocabulary that a subclass can still represent)."""
        index = self.get_index(key)
        return self.vectors[index], index

    def token_lookup(self) -> TokenLookup:
        """Mapping used to encode documents (unknown words to -1); built once, cached."""
        if self._lookup is None:
            self._lookup = TokenLookup(self.key_to_index)
        return self._lookup

    def token_table(self) -> TypeTable | None:
        """The vocabulary as a byte-level hash table, to encode many documents in a
        kernel (:mod:`skw2v._training.joined`); built once, cached; ``None`` if the
        vocabulary cannot be one."""
        if getattr(self, "_table", None) is None:
            self._table = vocabulary_table(self.key_to_index) or False
        return self._table or None

    # ------------------------------------------------------------------ similarity
    def _norm_of_rows(self) -> np.ndarray:
        """Row norms (float32), computed once."""
        if self._norms is None:
            self._norms = np.linalg.norm(self.vectors, axis=1)
        return self._norms

    def _unit_vectors(self) -> np.ndarray:
        """Rows scaled to unit length (float32; zero rows stay zero), computed once."""
        if self._unit is None:
            self._unit = self.vectors / _nonzero(self._norm_of_rows())[:, None]
        return self._unit

    def similarity(self, w1: _Key, w2: _Key) -> float:
        """Cosine similarity of two words."""
        v1 = self._lookup_query(w1)[0]
        v2 = self._lookup_query(w2)[0]
        return float(np.dot(_unitvec(v1), _unitvec(v2)))

    def _mean_query(
        self, positive: Iterable[_Query], negative: Iterable[_Query]
    ) -> tuple[np.ndarray, list[int]]:
        """Unit-length mean of +1 * positive and -1 * negative unit vectors (or raw vectors).

        The arithmetic (float64 terms summed into float32, normalised in float64, returned
        as float32) is gensim's, so rankings agree with gensim's exactly.
        """
        mean = np.zeros(self.vector_size, dtype=np.float32)
        used: list[int] = []
        total = np.float64(0.0)
        for items, weight in ((positive, np.float64(1.0)), (negative, np.float64(-1.0))):
            for item in items:
                if isinstance(item, np.ndarray):
                    vector = item
                else:
                    vector, index = self._lookup_query(item)
                    if index is None:  # a word composed by a subclass: no cached norm
                        vector = vector / max(float(np.linalg.norm(vector)), 1e-30)
                    else:
                        used.append(index)
                        # a zero vector stays zero (its direction is undefined)
                        vector = vector / _nonzero(self._norm_of_rows()[index : index + 1])[0]
                mean += weight * vector
                total += abs(weight)
        if total == 0:
            raise ValueError("Pass at least one word or vector in positive or negative.")
        return _unitvec(mean / total).astype(np.float32), used

    def most_similar(
        self,
        positive: _Query | Sequence[_Query] | None = None,
        negative: _Query | Sequence[_Query] | None = None,
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]]:
        """Words closest by cosine to the mean of ``positive`` minus ``negative`` words.

        Words and vectors may be mixed; query words are excluded from the result. Only the
        first ``restrict_vocab`` (most frequent) words are searched when it is given.
        """
        positive = _as_list(positive)
        negative = _as_list(negative)
        mean, used = self._mean_query(positive, negative)
        if not mean.any():
            raise ValueError(
                f"The query {positive!r} minus {negative!r} is a zero vector (a word with a "
                "zero vector, or words that cancel out): no word is closer to it than "
                "another. Query other words."
            )
        stop = len(self) if restrict_vocab is None else min(int(restrict_vocab), len(self))
        scores = self.vectors[:stop] @ mean / _nonzero(self._norm_of_rows()[:stop])
        if topn <= 0 or stop == 0:
            return []
        excluded = set(used)
        best = _top(scores, topn + len(used))
        result = [(self.index_to_key[i], float(scores[i])) for i in best if i not in excluded]
        return result[:topn]

    def most_similar_cosmul(
        self,
        positive: _Query | Sequence[_Query] | None = None,
        negative: _Query | Sequence[_Query] | None = None,
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]]:
        """Words maximising 3CosMul (Levy & Goldberg 2014), like gensim's.

        Each cosine is shifted to ``[0, 1]`` as ``(1 + cos) / 2``; the score is the product
        over ``positive`` divided by (the product over ``negative`` + 1e-6). Unlike gensim,
        which accepts but ignores it, ``restrict_vocab`` limits the search to the first
        words.
        """
        positive = _as_list(positive)
        negative = _as_list(negative)
        if not positive:
            raise ValueError("most_similar_cosmul needs at least one positive word or vector.")
        used = [self._lookup_query(w)[1] for w in positive + negative
                if not isinstance(w, np.ndarray)]  # fmt: skip
        stop = len(self) if restrict_vocab is None else min(int(restrict_vocab), len(self))
        candidates = self.vectors[:stop]
        norms = _nonzero(self._norm_of_rows()[:stop])

        def shifted(term):
            vector = term if isinstance(term, np.ndarray) else self.get_vector(term, norm=True)
            return (1 + candidates @ vector / norms) / 2

        scores = np.prod([shifted(t) for t in positive], axis=0)
        if negative:
            scores = scores / (np.prod([shifted(t) for t in negative], axis=0) + 0.000001)
        else:
            scores = scores / (1.0 + 0.000001)
        result = [(self.index_to_key[i], float(scores[i]))
                  for i in _top(scores, topn + len(used)) if i not in used]  # fmt: skip
        return result[:topn]

    def n_similarity(self, ws1: Sequence[str], ws2: Sequence[str]) -> float:
        """Cosine similarity between the means of two sets of words."""
        if not len(ws1) or not len(ws2):
            raise ValueError("n_similarity needs at least one word in each list.")
        v1 = np.array([self[w] for w in ws1]).mean(axis=0)
        v2 = np.array([self[w] for w in ws2]).mean(axis=0)
        return float(np.dot(_unitvec(v1), _unitvec(v2)))

    def distance(self, w1: str, w2: str) -> float:
        """Cosine distance ``1 - similarity(w1, w2)``."""
        return 1.0 - self.similarity(w1, w2)

    def doesnt_match(self, words: Sequence[str]) -> str:
        """The word furthest from the mean of all the words' unit vectors."""
        words = list(words)
        if not words:
            raise ValueError("doesnt_match needs at least one word.")
        vectors = np.vstack([self.get_vector(w, norm=True) for w in words])
        mean = _unitvec(vectors.mean(axis=0)).astype(np.float32)
        return min(zip(vectors @ mean, words))[1]

    # ------------------------------------------------------------------ word2vec format
    def save_word2vec_format(
        self,
        path: str | os.PathLike,
        binary: bool = False,
        fvocab: str | os.PathLike | None = None,
    ) -> None:
        """Write the vectors in word2vec.c's text or binary format (``.gz`` compresses).

        The format has no counts; pass ``fvocab`` to write them to a ``"<word> <count>"``
        vocabulary file, readable by :meth:`load_word2vec_format` and gensim.
        """
        write_word2vec(path, self.index_to_key, self.vectors, binary=binary,
                       counts=self.counts, fvocab=fvocab)  # fmt: skip

    @classmethod
    def load_word2vec_format(
        cls,
        path: str | os.PathLike,
        binary: bool | None = False,
        limit: int | None = None,
        fvocab: str | os.PathLike | None = None,
        no_header: bool = False,
    ) -> WordVectors:
        """Read vectors in word2vec.c's text or binary format, e.g. written by gensim.

        ``binary=None`` reads the format from the file's first row; ``True`` or ``False``
        insists on one (the other is then a ``ValueError`` naming the right value).
        ``limit`` reads only the first words; ``fvocab`` supplies counts (otherwise 0);
        ``no_header`` reads header-less text files such as GloVe's. A damaged file raises
        ``ValueError`` naming the line or byte offset.
        """
        words, vectors, counts = read_word2vec(path, binary=binary, limit=limit, fvocab=fvocab,
                                               no_header=no_header)  # fmt: skip
        return cls(vectors, words, counts)

    # ------------------------------------------------------------------ evaluation
    def _ok_vocab(self, restrict_vocab: int, case_insensitive: bool) -> dict[str, int]:
        """Map (upper-cased) words to rows over the first ``restrict_vocab`` words.

        Among case variants the more frequent (earlier) row wins, as in gensim.
        """
        keys = self.index_to_key[:restrict_vocab]
        if case_insensitive:
            return {key.upper(): i for i, key in reversed(list(enumerate(keys)))}
        return {key: i for i, key in reversed(list(enumerate(keys)))}

    def evaluate_analogies(
        self,
        analogies: str | os.PathLike | Iterable[str],
        restrict_vocab: int = 300_000,
        case_insensitive: bool = True,
    ) -> tuple[float, list[dict]]:
        """Accuracy on ``a b c d`` analogy questions (3CosAdd), like gensim's.

        Follows gensim's ``evaluate_word_analogies`` semantics: only the first
        ``restrict_vocab`` words are known, words are compared upper-cased when
        ``case_insensitive``, questions with an unknown word are skipped, and the answer is
        the best of the top 5 neighbours of ``b - a + c`` that is not a question word.

        Returns
        -------
        accuracy : float
            Correct / answered over all sections (0.0 when none was answered).
        sections : list of dict
            ``{"section", "correct", "incorrect"}`` per section, plus a final
            ``"Total accuracy"`` entry; correct/incorrect hold the question tuples.
        """
        ok_vocab = self._ok_vocab(restrict_vocab, case_insensitive)
        stop = min(int(restrict_vocab), len(self))
        candidates = self.vectors[:stop]
        norms = _nonzero(self._norm_of_rows()[:stop])
        sections: list[dict] = []
        section = None
        for line_no, line in enumerate(_read_lines(analogies)):
            if line.startswith(": "):
                section = {"section": line.lstrip(": ").strip(), "correct": [], "incorrect": []}
                sections.append(section)
                continue
            if section is None:
                raise ValueError(f"Missing section header before line {line_no + 1}.")
            words = line.split()
            if len(words) != 4:
                continue
            if case_insensitive:
                words = [w.upper() for w in words]
            a, b, c, expected = words
            if not all(w in ok_vocab for w in words):
                continue
            rows = [ok_vocab[b], ok_vocab[c], ok_vocab[a]]
            mean, _ = self._mean_query([self.index_to_key[rows[0]], self.index_to_key[rows[1]]],
                                       [self.index_to_key[rows[2]]])  # fmt: skip
            scores = candidates @ mean / norms
            neighbours = [i for i in _top(scores, 5 + len(rows)) if i not in rows][:5]
            predicted = None
            for i in neighbours:
                key = self.index_to_key[i]
                predicted = key.upper() if case_insensitive else key
                if predicted in ok_vocab and predicted not in (a, b, c):
                    break
            outcome = "correct" if predicted == expected else "incorrect"
            section[outcome].append((a, b, c, expected))
        total = {
            "section": "Total accuracy",
            "correct": [q for s in sections for q in s["correct"]],
            "incorrect": [q for s in sections for q in s["incorrect"]],
        }
        sections.append(total)
        answered = len(total["correct"]) + len(total["incorrect"])
        accuracy = len(total["correct"]) / answered if answered else 0.0
        return accuracy, sections

    def evaluate_word_pairs(
        self,
        pairs: str | os.PathLike | Iterable[str],
        delimiter: str = "\t",
        restrict_vocab: int = 300_000,
        case_insensitive: bool = True,
    ):
        """Correlation of cosine similarities with human scores, like gensim's.

        Lines starting with ``#`` are comments; pairs with a word outside the first
        ``restrict_vocab`` words are skipped and counted in ``oov_ratio`` (percent).

        Returns
        -------
        pearson : scipy.stats PearsonRResult
        spearman : scipy.stats SignificanceResult
        oov_ratio : float
        """
        ok_vocab = self._ok_vocab(restrict_vocab, case_insensitive)
        gold: list[float] = []
        model: list[float] = []
        oov = 0
        for line in _read_lines(pairs):
            if not line or line.startswith("#"):
                continue
            fields = line.split(delimiter)
            if len(fields) != 3:
                continue
            a, b, score = fields
            try:
                value = float(score)
            except ValueError:
                continue
            if case_insensitive:
                a, b = a.upper(), b.upper()
            if a not in ok_vocab or b not in ok_vocab:
                oov += 1
                continue
            gold.append(value)
            v1, v2 = self.vectors[ok_vocab[a]], self.vectors[ok_vocab[b]]
            model.append(float(np.dot(_unitvec(v1), _unitvec(v2))))
        if len(gold) < 2:
            raise ValueError(
                f"Only {len(gold)} word pair(s) had both words in the vocabulary; at least 2 "
                "are needed for a correlation."
            )
        for name, values, hint in (
            ("human scores", gold, ""),
            ("model's similarities", model, " (are the vectors all equal or zero?)"),
        ):
            if min(values) == max(values):
                raise ValueError(
                    f"The {name} of the {len(gold)} pairs in the vocabulary are all equal "
                    f"({values[0]!r}), so no correlation is defined{hint}."
                )
        pearson = stats.pearsonr(gold, model)
        spearman = stats.spearmanr(gold, model)
        oov_ratio = 100.0 * oov / (len(gold) + oov)
        return pearson, spearman, oov_ratio


def _checked_counts(counts, n_words: int) -> np.ndarray:
    """``counts`` as int64, one per word, each >= 0 (zeros when None)."""
    if counts is None:
        return np.zeros(n_words, dtype=np.int64)
    raw = np.asarray(counts)
    if raw.ndim != 1 or raw.shape[0] != n_words:
        raise ValueError(
            f"counts must hold one count per word: {n_words} words, got counts of shape "
            f"{raw.shape}."
        )
    whole = raw.dtype.kind in "iub" or (
        raw.dtype.kind == "f" and np.isfinite(raw).all() and (raw == np.round(raw)).all()
    )
    if not whole:
        raise ValueError(f"counts must be whole numbers, got {raw.dtype} values.")
    values = raw.astype(np.int64)
    if n_words and int(values.min()) < 0:
        first = int(np.flatnonzero(values < 0)[0])
        raise ValueError(
            f"counts must be >= 0 (word frequencies); word {first} has {int(values[first])}."
        )
    return values


def _check_finite_rows(vectors: np.ndarray) -> None:
    """Refuse NaN or infinite values (every similarity with them would be NaN)."""
    row = first_non_finite_row(vectors)
    if row >= 0:
        raise ValueError(f"vectors must be finite: row {row} holds NaN or infinite values.")


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (str, np.ndarray)):
        return [value]
    return list(value)


def _nonzero(norms: np.ndarray) -> np.ndarray:
    return np.where(norms > 0, norms, 1.0).astype(np.float32)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, scores.shape[0])
    best = np.argpartition(-scores, k - 1)[:k]
    return best[np.argsort(-scores[best], kind="stable")]


def _read_lines(source: str | os.PathLike | Iterable[str]) -> Iterable[str]:
    if isinstance(source, (str, os.PathLike)):
        with open_file(source, "rt", encoding="utf-8") as handle:  # .gz etc. by suffix
            yield from (line.rstrip("\n") for line in handle)
    else:
        yield from source
