"""Compact data shipped inside the package (built by scripts/build_resources.py; licences in LICENSES.md)."""

from __future__ import annotations

import gzip
from importlib import resources


def read_lines(name: str) -> list[str]:
    """The non-empty lines of a shipped gzip text resource."""
    data = gzip.decompress(resources.files(__name__).joinpath(name).read_bytes()).decode("utf-8")
    return [line for line in data.split("\n") if line]
