"""This checkout's skw2v beside another commit's: same vectors? same speed?

Word vectors (skip-gram and CBOW, negative sampling and hierarchical softmax, subwords)
and paragraph vectors (PV-DBOW, with and without words, PV-DM):

    python benchmarks/versus.py --baseline REV [--candidate REV] [--modes sg hs cbow ...]
        [--corpus PATH] [--limit N] [--repeats 3] [--threads 1 2] [--dim 100]

The baseline is checked out into a temporary ``git worktree`` (removed at the end); so is
the candidate when ``--candidate`` names a revision (then the working tree can change
while this runs), else the candidate is this working tree. Each
fit runs in a fresh process that imports skw2v from one tree (``PYTHONPATH``), warms the
kernels up on a tiny corpus (so compilation is never timed), then fits the corpus with
``random_state=0``; the two trees alternate, run by run. With one thread the trained
input, output (and document) vectors and the loss must be bitwise equal. The speed ratio is this
checkout's median training seconds (``training_seconds_``) over the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import _common
import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

MODES = {
    "sg": {},
    "sg-pairs": {"shared_negatives": False},
    "hs": {"objective": "hierarchical_softmax"},
    "hs-pairs": {"objective": "hierarchical_softmax", "shared_negatives": False},
    "cbow": {"architecture": "cbow"},
    "cbow-exact": {"architecture": "cbow", "shared_negatives": False},
    "cbow-hs": {"architecture": "cbow", "objective": "hierarchical_softmax"},
    "subwords": {"subwords": [3, 6], "buckets": 200_000},
    "subwords-pairs": {"subwords": [3, 6], "buckets": 200_000, "shared_negatives": False},
    "subwords-cbow": {"subwords": [3, 6], "buckets": 200_000, "architecture": "cbow"},
    "dbow": {"model": "doc2vec", "mode": "dbow"},
    "dbow-words": {"model": "doc2vec", "mode": "dbow", "train_words": True},
    "dm": {"model": "doc2vec", "mode": "dm"},
    "dm-hs": {"model": "doc2vec", "mode": "dm", "objective": "hierarchical_softmax"},
}

CHILD = """
import json, sys, time
import numpy as np
sys.path.insert(0, {bench!r})
import _common
import skw2v
from skw2v import Doc2VecTransformer, Word2VecTransformer
params = json.loads({params!r})
doc2vec = params.pop("model", "word2vec") == "doc2vec"
Model = Doc2VecTransformer if doc2vec else Word2VecTransformer
if params.get("subwords"):
    params["subwords"] = tuple(params["subwords"])
docs = _common.load_corpus({corpus!r}, {limit!r})
Model(**{{**params, "min_count": 1, "epochs": 1}}).fit([["a", "b", "c"]] * 3)
tic = time.perf_counter()
model = Model(**params).fit(docs)
fit = time.perf_counter() - tic
arrays = dict(syn1=model.output_vectors_, loss=np.array(model.loss_history_))
if doc2vec:
    arrays["docs"] = model.document_vectors_
    if hasattr(model, "wv_"):
        arrays["syn0"] = model.wv_.vectors
else:
    arrays["syn0"] = model.input_vectors_
np.savez({out!r}, **arrays)
print(json.dumps({{"file": skw2v.__file__, "train": model.training_seconds_, "fit": fit}}))
"""


def run_child(tree: Path, params: dict, args, out: str) -> dict:
    code = CHILD.format(bench=str(HERE), params=json.dumps(params), corpus=str(args.corpus),
                        limit=args.limit, out=out)  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(tree))
    # in the tree: ``python -c`` puts the working folder first on sys.path
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=tree)  # fmt: skip
    if run.returncode:
        raise RuntimeError(f"fit failed in {tree}:\n{run.stderr}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    if not result["file"].startswith(str(tree)):
        raise RuntimeError(f"imported {result['file']}, not the tree {tree}")
    return result


def same(a: str, b: str) -> str:
    """Whether the two runs trained the same arrays (input, output and, for paragraph
    vectors, document vectors) and loss, bit for bit."""
    x, y = np.load(a), np.load(b)
    equal = set(x.files) == set(y.files) and all(np.array_equal(x[k], y[k]) for k in x.files)
    return "yes" if equal else "NO"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="a git revision")
    parser.add_argument("--candidate", default=None, help="a git revision (default: this tree)")
    parser.add_argument("--modes", nargs="+", choices=sorted(MODES), default=sorted(MODES))
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=None, help="first N lines only")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--no-publish", action="store_true",
                        help="do not write docs/_tables/versus.md (the final table)")  # fmt: skip
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        trees = {"baseline": (Path(tmp) / "baseline", args.baseline)}
        if args.candidate:
            trees["this"] = (Path(tmp) / "candidate", args.candidate)
        for path, revision in trees.values():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet",
                            str(path), revision], check=True)  # fmt: skip
        baseline = trees["baseline"][0]
        candidate = trees["this"][0] if args.candidate else ROOT
        try:
            rows = []
            for mode in args.modes:
                for threads in args.threads:
                    params = {"vector_size": args.dim, "epochs": args.epochs, "n_jobs": threads,
                              "random_state": 0, **MODES[mode]}  # fmt: skip
                    times = {"baseline": [], "this": []}
                    identical = []
                    for repeat in range(args.repeats):
                        files = {}
                        for name, tree in (("baseline", baseline), ("this", candidate)):
                            files[name] = f"{tmp}/{name}-{mode}-{threads}-{repeat}.npz"
                            times[name].append(run_child(tree, params, args, files[name]))
                        if threads == 1:
                            identical.append(same(files["baseline"], files["this"]))
                    base = statistics.median(r["train"] for r in times["baseline"])
                    this = statistics.median(r["train"] for r in times["this"])
                    ratios = [t["train"] / b["train"]
                              for t, b in zip(times["this"], times["baseline"])]  # fmt: skip
                    rows.append([mode, threads, f"{base:.2f}", f"{this:.2f}",
                                 f"{this / base:.3f}",
                                 f"{min(ratios):.3f} / {max(ratios):.3f}",
                                 ", ".join(identical) if identical else "n/a"])  # fmt: skip
                    print(rows[-1], flush=True)
            with _common.published("versus", enabled=not args.no_publish):
                _common.print_table(
                    f"{args.candidate or 'This checkout'} vs {args.baseline}: training seconds, "
                    "medians of "
                    f"{args.repeats} alternating runs ({args.limit or 'all'} lines, "
                    f"{args.epochs} epochs, dim {args.dim})",
                    ["mode", "threads", "baseline s", "this s", "ratio this/baseline",
                     "pairwise ratio min / max", "bitwise equal (per run)"],
                    rows,
                )  # fmt: skip
        finally:
            for path, _ in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(path)], check=False)  # fmt: skip


if __name__ == "__main__":
    main()
