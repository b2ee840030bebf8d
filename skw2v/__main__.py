"""``python -m skw2v``: the command line (see :mod:`skw2v._cli`)."""

from __future__ import annotations

from ._cli import main

if __name__ == "__main__":
    raise SystemExit(main())
