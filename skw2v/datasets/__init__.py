"""Small corpora shipped with skw2v."""

from ._evaluation import analogies_path, word_pairs_path
from ._kjv import BOOK_GROUPS, load_kjv, tokenize

__all__ = ["BOOK_GROUPS", "analogies_path", "load_kjv", "tokenize", "word_pairs_path"]
