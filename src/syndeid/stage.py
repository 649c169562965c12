"""The stage contract. A stage is a small class: `setup()` loads what it needs once (models, lexicons),
then `__call__` maps an Arrow batch to an Arrow batch with no other side effect. The same object runs in
a plain Python loop (tests, debugging) and as a Ray Data actor; only `pipeline` knows about Ray."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Protocol

import pyarrow as pa

from syndeid.records import ROW_ERROR, TEXT

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resources:
    num_cpus: float = 1.0
    num_gpus: float = 0.0
    batch_size: int = 64  # letters per Arrow batch


class Stage(Protocol):
    resources: Resources

    def setup(self) -> None: ...

    def __call__(self, batch: pa.Table) -> pa.Table: ...


def call_isolating_failures(stage: Callable[[pa.Table], pa.Table], batch: pa.Table, name: str | None = None) -> pa.Table:
    """Run a stage on a batch; if it raises, run it letter by letter so that only the letters that make it
    fail become error rows (reason: the stage and the exception type, never text) and the run goes on."""
    name = name or type(stage).__name__
    try:
        return stage(batch)
    except Exception as exc:  # a stage bug on one odd letter must not cost the other letters of the batch
        log.warning("%s failed on a batch of %d (%s); retrying letter by letter", name, batch.num_rows,
                    type(exc).__name__)
    outputs = []
    for i in range(batch.num_rows):
        row = batch.slice(i, 1)
        try:
            outputs.append(stage(row))
        except Exception as exc:
            reason = f"{name} failed on this letter ({type(exc).__name__})"
            row = row.set_column(row.column_names.index(ROW_ERROR), ROW_ERROR, pa.array([reason], pa.string()))
            row = row.set_column(row.column_names.index(TEXT), TEXT, pa.array([None], pa.string()))
            outputs.append(stage(row))
    return pa.concat_tables(outputs, promote_options="permissive")


def run_stages(batch: pa.Table, stages: list[Stage]) -> pa.Table:
    """Run stages in order on one batch, without Ray (each stage must already be set up)."""
    for stage in stages:
        batch = call_isolating_failures(stage, batch)
    return batch
