"""The stage contract. A stage is a small class: `setup()` loads what it needs once (models, lexicons),
then `__call__` maps an Arrow batch to an Arrow batch with no other side effect. The same object runs in
a plain Python loop (tests, debugging) and as a Ray Data actor; only `pipeline` knows about Ray."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa


@dataclass(frozen=True)
class Resources:
    num_cpus: float = 1.0
    num_gpus: float = 0.0
    batch_size: int = 64  # letters per Arrow batch


class Stage(Protocol):
    resources: Resources

    def setup(self) -> None: ...

    def __call__(self, batch: pa.Table) -> pa.Table: ...


def run_stages(batch: pa.Table, stages: list[Stage]) -> pa.Table:
    """Run stages in order on one batch, without Ray (each stage must already be set up)."""
    for stage in stages:
        batch = stage(batch)
    return batch
