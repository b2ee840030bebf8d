"""Small corpora shipped with skw2v."""

from ._kjv import BOOK_GROUPS, load_kjv, tokenize

__all__ = ["BOOK_GROUPS", "load_kjv", "tokenize"]
