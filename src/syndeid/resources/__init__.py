"""Compact data shipped inside the package (built by scripts/build_resources.py; licences in LICENSES.md)."""

from __future__ import annotations

import gzip
from importlib import resources


def read_lines(name: str) -> list[str]:
    """The non-empty lines of a shipped text resource, gzip (".gz") or plain; in plain text "#" begins a comment."""
    raw = resources.files(__name__).joinpath(name).read_bytes()
    if name.endswith(".gz"):
        return [line for line in gzip.decompress(raw).decode("utf-8").split("\n") if line]
    return [line.strip() for line in raw.decode("utf-8").split("\n") if line.strip() and not line.startswith("#")]



def read_bytes(name: str) -> bytes:
    """The bytes of a shipped binary resource, decompressed if gzip (".gz")."""
    raw = resources.files(__name__).joinpath(name).read_bytes()
    return gzip.decompress(raw) if name.endswith(".gz") else raw
