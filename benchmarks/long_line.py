"""Reading one long line with no separator (unsegmented CJK text, a file without
newlines): the time must grow linearly with the line.

For each size, a file holding one line of that many bytes of CJK characters (no white
space at all) is encoded by ``LineCorpus`` on its fast path (the byte kernel) and read
on its Python path (``errors="replace"`` takes it); sizes are timed in alternation,
best and median of ``--repeats`` runs, and the ratio of the bests of each size to the
size before it is printed (2.0 is linear).

    python benchmarks/long_line.py --sizes 32 64 128 256 --repeats 3
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

import _common

from skw2v import LineCorpus
from skw2v._io.storage import CorpusStorage


def write_line(path: Path, mib: int) -> None:
    unit = "\u4e2d\u6587".encode()  # two 3-byte characters, no separator
    with open(path, "wb") as out:
        block = unit * ((1 << 20) // len(unit))
        for _ in range(mib):
            out.write(block)


def fast(path: Path) -> int:
    _, corpus = LineCorpus(path).encode_provisional(CorpusStorage())
    return corpus.n_tokens


def python(path: Path) -> int:
    return sum(len(doc) for doc in LineCorpus(path, errors="replace"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 64, 128, 256],
                        help="line lengths in MiB")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="skw2v-long-line-"))
    paths = {}
    for mib in args.sizes:
        paths[mib] = folder / f"line-{mib}.txt"
        write_line(paths[mib], mib)
    fast(paths[args.sizes[0]])  # compile (or load) the kernel outside the timings
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(args.repeats):
        for mib in args.sizes:  # alternate the sizes within each repeat
            for name, read in (("fast path", fast), ("Python path", python)):
                tic = time.perf_counter()
                assert read(paths[mib]) == 1
                times.setdefault((name, mib), []).append(time.perf_counter() - tic)
    print(f"# {time.strftime('%Y-%m-%d')}, {platform.machine()}, Python "
          f"{platform.python_version()}, best and median of {args.repeats} runs")  # fmt: skip
    print("| path | line (MiB) | best (s) | median (s) | best / best of half the size |")
    print("|---|---:|---:|---:|---:|")
    for name in ("fast path", "Python path"):
        previous = None
        for mib in args.sizes:
            runs = times[(name, mib)]
            ratio = f"{min(runs) / previous:.2f}" if previous else ""
            print(f"| {name} | {mib} | {min(runs):.2f} | {statistics.median(runs):.2f} | {ratio} |")
            previous = min(runs)
    for path in paths.values():
        path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    _common.run_published(main, "long-line")
