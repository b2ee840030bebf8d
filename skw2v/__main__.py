"""Command line: ``python -m skw2v demo``."""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="skw2v", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="train on the bundled King James Bible")
    demo.add_argument("--n-jobs", type=int, default=-1, help="training threads (default: all)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from ._demo import run_demo

        run_demo(n_jobs=args.n_jobs, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
