"""The generator's errors: problems in the schema or the output folder, told to the user as is.

Anything else raised while generating is a bug, reported with its traceback.
"""

from __future__ import annotations

__all__ = ["GeneratorError", "GeneratorInputError", "GeneratorOutputError"]


class GeneratorError(Exception):
    """A problem the user can fix; its message says how."""


class GeneratorInputError(GeneratorError, ValueError):
    """The schema uses a name the generated Python client cannot express."""


class GeneratorOutputError(GeneratorError, RuntimeError):
    """The generated client could not be written where the schema's `output` points."""
