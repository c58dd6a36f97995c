"""Render a `ClientIR` to source text, one template per output file."""

from __future__ import annotations

from pathlib import Path

import jinja2

from orm.generator.ir import ClientIR

__all__ = ["OUTPUT_FILES", "render"]

TEMPLATES = Path(__file__).parent / "templates"

# output file -> template (files starting with "_" under templates/ are partials)
OUTPUT_FILES = {
    "__init__.py": "__init__.py.jinja",
    "_compat.py": "compat.py.jinja",
    "_schema.py": "_schema.py.jinja",
    "actions.py": "actions.py.jinja",
    "bases.py": "bases.py.jinja",
    "client.py": "client.py.jinja",
    "enums.py": "enums.py.jinja",
    "errors.py": "errors.py.jinja",
    "fields.py": "fields.py.jinja",
    "models.py": "models.py.jinja",
    "partials.py": "partials.py.jinja",
    "py.typed": "py.typed.jinja",
    "testing.py": "testing.py.jinja",
    "types.py": "types.py.jinja",
}


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(ir: ClientIR) -> dict[str, str]:
    """Every output file's unformatted text, keyed by its name in the package."""
    env = _environment()
    return {
        name: env.get_template(template).render(ir=ir) for name, template in OUTPUT_FILES.items()
    }
