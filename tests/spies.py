"""A spy for the privacy tests: stands in for the tokenizer and records every string it is given."""

from __future__ import annotations


class RecordingProxy:
    """Stands in for an object (and, recursively, for what its attributes return), recording every
    string passed to any call."""

    def __init__(self, real, received: list[str]) -> None:
        object.__setattr__(self, "_real", real)
        object.__setattr__(self, "_received", received)

    def __getattr__(self, name):
        value = getattr(self._real, name)
        if isinstance(value, (str, int, float, bool, type(None), list, dict, tuple, set)):
            return value
        return RecordingProxy(value, self._received)

    def __setattr__(self, name, value):
        setattr(self._real, name, value)

    def __call__(self, *args, **kwargs):
        self._received.extend(strings_in(list(args) + list(kwargs.values())))
        return self._real(*args, **kwargs)


def strings_in(values) -> list[str]:
    """Every string in a nest of lists and tuples."""
    found = []
    for value in values:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(strings_in(value))
    return found
