"""The King James Bible (public domain), one verse per document."""

from __future__ import annotations

import csv
import gzip
import io
import re
from importlib import resources

import numpy as np
from sklearn.utils import Bunch

_TOKEN = re.compile(r"[a-z]+")

_OLD_TESTAMENT_GROUPS = {
    "law": ["Genesis", "Exodus", "Leviticus", "Numbers", "Deuteronomy"],
    "history": [
        "Joshua", "Judges", "Ruth", "1 Samuel", "2 Samuel", "1 Kings", "2 Kings",
        "1 Chronicles", "2 Chronicles", "Ezra", "Nehemiah", "Esther",
    ],
    "wisdom": ["Job", "Psalms", "Proverbs", "Ecclesiastes", "Song of Solomon"],
    "prophets": [
        "Isaiah", "Jeremiah", "Lamentations", "Ezekiel", "Daniel", "Hosea", "Joel", "Amos",
        "Obadiah", "Jonah", "Micah", "Nahum", "Habakkuk", "Zephaniah", "Haggai",
        "Zechariah", "Malachi",
    ],
}  # fmt: skip
_NEW_TESTAMENT_GROUPS = {
    "gospels and acts": ["Matthew", "Mark", "Luke", "John", "Acts"],
    "epistles": [
        "Romans", "1 Corinthians", "2 Corinthians", "Galatians", "Ephesians", "Philippians",
        "Colossians", "1 Thessalonians", "2 Thessalonians", "1 Timothy", "2 Timothy", "Titus",
        "Philemon", "Hebrews", "James", "1 Peter", "2 Peter", "1 John", "2 John", "3 John",
        "Jude",
    ],
    "revelation": ["Revelation"],
}  # fmt: skip

#: Book group of each of the 66 books.
BOOK_GROUPS: dict[str, str] = {
    book: group
    for groups in (_OLD_TESTAMENT_GROUPS, _NEW_TESTAMENT_GROUPS)
    for group, books in groups.items()
    for book in books
}
_NEW_TESTAMENT = {book for books in _NEW_TESTAMENT_GROUPS.values() for book in books}

_DESCR = """King James Bible (1611, public domain), one verse per row.

31,102 verses of 66 books. ``data`` holds each verse as a list of lowercase tokens
(runs of letters a-z), ``text`` the verse as printed. Targets: ``testament`` ("old" or
"new") and ``book_group`` (law, history, wisdom, prophets, gospels and acts, epistles,
revelation); ``book``, ``chapter`` and ``verse`` locate each verse.
Source: Debian package bible-kjv-text 4.38."""


def tokenize(text: str) -> list[str]:
    """Lowercase ``text`` and return its runs of letters a-z."""
    return _TOKEN.findall(text.lower())


def load_kjv() -> Bunch:
    """Load the King James Bible verses bundled with skw2v.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (list of token lists), ``text`` (list of str), ``book``, ``chapter``,
        ``verse``, ``testament``, ``book_group`` (arrays, one entry per verse) and
        ``DESCR``.

    Examples
    --------
    >>> from skw2v.datasets import load_kjv
    >>> kjv = load_kjv()
    >>> len(kjv.data), kjv.data[0][:4], kjv.testament[0]
    (31102, ['in', 'the', 'beginning', 'god'], 'old')
    """
    raw = resources.files(__package__).joinpath("data", "kjv-verses.tsv.gz").read_bytes()
    with io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(raw)), encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    header, rows = rows[0], rows[1:]
    if header != ["book", "chapter", "verse", "text"]:
        raise RuntimeError(f"Unexpected header in the bundled KJV file: {header}")
    books = np.array([row[0] for row in rows], dtype=object)
    text = [row[3] for row in rows]
    return Bunch(
        data=[tokenize(verse) for verse in text],
        text=text,
        book=books,
        chapter=np.array([int(row[1]) for row in rows]),
        verse=np.array([int(row[2]) for row in rows]),
        testament=np.array(["new" if b in _NEW_TESTAMENT else "old" for b in books], dtype=object),
        book_group=np.array([BOOK_GROUPS[b] for b in books], dtype=object),
        DESCR=_DESCR,
    )
