"""Facebook fastText itself as the oracle for the ``.bin`` format, both ways.

    pip install fasttext-wheel   # Facebook's fastText 0.9.2 Python bindings
    python benchmarks/fasttext_interop.py [--corpus PATH] [--lines 5000]

1. Facebook's fastText trains a small skip-gram model and saves it; skw2v loads it
   (``SubwordVectors.load_facebook_format``) and composes vectors for its vocabulary
   (``</s>`` included) and for unseen words: the largest difference from fastText's own
   ``get_word_vector`` is printed.
2. skw2v trains a subword model and saves it (``save_facebook_model``); fastText's
   ``load_model`` reads it: the same comparison the other way.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import tempfile
from pathlib import Path

import _common
import numpy as np

from skw2v import SubwordVectors, Word2VecTransformer

UNSEEN = ["unseenwordz", "qwerty", "naïveté", "governmment"]


def main() -> None:
    import fasttext

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--no-publish", action="store_true",
                        help="do not write docs/_tables/fasttext-interop.md")  # fmt: skip
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    text = folder / "text.txt"
    opener = gzip.open if args.corpus.endswith(".gz") else open
    with opener(args.corpus, "rt", encoding="utf-8") as source:
        text.write_text("".join(itertools.islice(source, args.lines)), encoding="utf-8")

    facebook = fasttext.train_unsupervised(str(text), model="skipgram", dim=20, epoch=1,
                                           minn=3, maxn=6, bucket=20_000, thread=1,
                                           verbose=0)  # fmt: skip
    facebook.save_model(str(folder / "facebook.bin"))
    wv = SubwordVectors.load_facebook_format(folder / "facebook.bin")
    words = list(facebook.words) + UNSEEN
    gap = max(float(np.abs(facebook.get_word_vector(w) - wv[w]).max()) for w in words)
    rows = [["fastText 0.9.2 -> skw2v", f"{len(words):,}", f"{gap:.2e}"]]

    docs = [line.split() for line in text.read_text(encoding="utf-8").splitlines()]
    ours = Word2VecTransformer(subwords=(3, 6), buckets=20_000, vector_size=20, epochs=1,
                               n_jobs=1, random_state=0).fit(docs)  # fmt: skip
    ours.save_facebook_model(folder / "skw2v.bin")
    loaded = fasttext.load_model(str(folder / "skw2v.bin"))
    words = ours.wv_.index_to_key + UNSEEN
    gap = max(float(np.abs(loaded.get_word_vector(w) - ours.wv_[w]).max()) for w in words)
    rows.append(["skw2v -> fastText 0.9.2", f"{len(words):,}", f"{gap:.2e}"])
    with _common.published("fasttext-interop", enabled=not args.no_publish):
        _common.print_table(
            f"Facebook .bin interoperability ({args.lines:,} lines, vocabulary and "
            f"{len(UNSEEN)} unseen words)",
            ["written by -> read by", "words compared", "largest |difference|"],
            rows,
        )


if __name__ == "__main__":
    main()
