import numpy as np

from skw2v.datasets import BOOK_GROUPS, load_kjv, tokenize


def test_load_kjv_returns_every_verse_with_labels(kjv):
    assert len(kjv.data) == len(kjv.text) == 31_102
    assert (
        kjv.book.shape == kjv.chapter.shape == kjv.verse.shape == kjv.testament.shape == (31_102,)
    )
    assert len(set(kjv.book)) == 66 and set(kjv.book) == set(BOOK_GROUPS)
    assert set(kjv.testament) == {"old", "new"}
    assert (kjv.testament == "new").sum() == 7_957  # Matthew 1:1 to Revelation 22:21
    assert kjv.text[0] == "In the beginning God created the heaven and the earth."
    assert kjv.data[0] == tokenize(kjv.text[0])
    assert (kjv.book[-1], kjv.chapter[-1], kjv.verse[-1]) == ("Revelation", 22, 21)
    assert set(kjv.book_group) == set(BOOK_GROUPS.values())
    assert all(isinstance(t, str) for doc in kjv.data[:100] for t in doc)


def test_each_call_returns_fresh_lists():
    a, b = load_kjv(), load_kjv()
    a.data[0].append("changed")
    assert b.data[0][-1] == "earth"
    assert np.array_equal(a.book, b.book)


def test_tokenize_lowercases_and_keeps_letter_runs():
    assert tokenize("And God said, Let there be light: and there was LIGHT.") == [
        "and", "god", "said", "let", "there", "be", "light", "and", "there", "was", "light",
    ]  # fmt: skip
