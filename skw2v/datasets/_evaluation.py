"""The word-vector evaluation sets shipped with skw2v, as gensim ships them in its test
data: Google's analogy questions (Mikolov et al. 2013) and WordSim-353 (Finkelstein et
al. 2002)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def analogies_path() -> Path:
    r"""The path of Google's analogy test set, ``questions-words.txt`` (gzip-compressed):
    19,544 questions ``a b c d`` in 14 ``: section``\s, as
    :meth:`~skw2v.WordVectors.evaluate_analogies` reads it.

    Returns
    -------
    path : pathlib.Path
        The bundled file.

    Examples
    --------
    >>> from skw2v.datasets import analogies_path
    >>> analogies_path().name
    'questions-words.txt.gz'
    """
    return Path(str(files("skw2v.datasets") / "data" / "questions-words.txt.gz"))


def word_pairs_path() -> Path:
    """The path of WordSim-353: 353 word pairs with a human similarity score, tab
    separated, as :meth:`~skw2v.WordVectors.evaluate_word_pairs` reads it.

    Returns
    -------
    path : pathlib.Path
        The bundled file.

    Examples
    --------
    >>> from skw2v.datasets import word_pairs_path
    >>> word_pairs_path().name
    'wordsim353.tsv'
    """
    return Path(str(files("skw2v.datasets") / "data" / "wordsim353.tsv"))
