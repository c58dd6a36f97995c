"""`python -m orm.generator` (or the `prisma-client-py` script): the process `prisma generate`
runs for our generator blocks. The script's name lets a prisma-client-py schema
(`provider = "prisma-client-py"`) generate with this ORM unchanged."""

from __future__ import annotations

import sys

from orm.generator.generate import generate
from orm.generator.protocol import serve

__all__ = ["main"]


def main() -> None:
    serve(sys.stdin, sys.stderr, generate)


if __name__ == "__main__":
    main()
