"""Jinja templates, one per generated file; a package only so that installs ship them."""

from __future__ import annotations
