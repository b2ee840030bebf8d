"""skw2v's reading of Facebook's language identifier ``lid.176.ftz`` against what
``fasttext predict-prob lid.176.ftz - 2`` printed for 1,243 lines in many languages
(``tests/data/lid176``, built by ``benchmarks/fasttext_fixtures.py``).

    python benchmarks/lid176.py
"""

from __future__ import annotations

import re
from pathlib import Path

import _common
import numpy as np

from skw2v import FastTextClassifier

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "lid176"


def main() -> None:
    from fasttext_fixtures import lid_model

    lid = FastTextClassifier.load_facebook_model(lid_model())
    lines = (FIXTURE / "lines.txt").read_text(encoding="utf-8").splitlines()
    docs = [[t for t in re.split(r"[ \t\n\r\v\f\0]+", line) if t] for line in lines]
    printed = []
    for row in (FIXTURE / "lines.predict-prob.txt").read_text(encoding="utf-8").splitlines():
        fields = row.split()
        printed.append([(label[9:], float(p)) for label, p in zip(fields[0::2], fields[1::2])])
    labels, figures = lid.predict_top_k(docs, k=2)
    proba = lid.predict_proba(docs)
    same_count = sum(len(a) == len(b) for a, b in zip(labels, printed))
    same_first = sum(a[0] == b[0][0] for a, b in zip(labels, printed))
    same_all = sum(list(a) == [x for x, _ in b] for a, b in zip(labels, printed))
    gap_k = max(float(np.abs(np.array(f) - [p for _, p in b]).max())
                for f, b in zip(figures, printed))  # fmt: skip
    best = lid.classes_[proba.argmax(axis=1)]
    same_best = int(sum(x == b[0][0] for x, b in zip(best, printed)))
    gap_proba = float(np.abs(proba.max(axis=1) - [b[0][1] for b in printed]).max())
    _common.print_table(
        f"lid.176.ftz on {len(lines):,} lines ({len(set(b[0][0] for b in printed))} distinct "
        "best labels): skw2v vs fasttext predict-prob ... 2",
        ["what", "lines alike", "largest |figure difference|"],
        [["predict_top_k(k=2): number of labels", f"{same_count:,}", ""],
         ["predict_top_k(k=2): best label", f"{same_first:,}", ""],
         ["predict_top_k(k=2): both labels in order", f"{same_all:,}", f"{gap_k:.2e}"],
         ["predict_proba: best label (true probabilities)", f"{same_best:,}",
          f"{gap_proba:.2e}"]],
    )  # fmt: skip


if __name__ == "__main__":
    _common.run_published(main, "lid176")
