"""`python -m orm.generator`: the process `prisma generate` runs for our generator blocks."""

from __future__ import annotations

import sys

from orm.generator.generate import generate
from orm.generator.protocol import serve

if __name__ == "__main__":
    serve(sys.stdin, sys.stderr, generate)
