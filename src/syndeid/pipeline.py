"""Wires the stages into Ray Data. Nothing here transforms a letter: that is the stages' job.

    files -> scan (ids only) -> read (tasks) -> MaskStage (CPU actors) -> FillStage (GPU actors; CPU
    without GPUs) -> CheckStage (tasks) -> commit (letters part + manifest part, per batch)

The scan is a cheap first pass over the files: it finds repeated ids (the first in input order wins, however
the input is split) and, for incremental runs, the letters already synthesized with this configuration.
Results are committed batch by batch as the stream flows (see io/manifest.py), so memory stays flat as the
corpus grows and an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from syndeid import __version__
from syndeid.config import SynthesisConfig
from syndeid.io import readers, writers
from syndeid.io.manifest import OutputStore, part_name
from syndeid.privacy.check import CheckStage
from syndeid.records import (
    CONFIG_HASH, CONTENT_HASH, ERROR, ID, ROW_ERROR, ROW_KEY, SOURCE, STATUS, STATUS_ERROR, VERSION,
)
from syndeid.stage import call_isolating_failures, run_stages

log = logging.getLogger(__name__)
PROGRESS_EVERY_S = 30.0


def build_stages(config: SynthesisConfig) -> list:
    """The three stages, not yet set up (Ray sets each up in its own actor)."""
    from syndeid.filling.model import model_fingerprint, model_name
    from syndeid.filling.stage import FillStage
    from syndeid.masking.stage import MaskStage

    check = CheckStage(config, model_name(config.model), model_fingerprint(config.model))
    return [MaskStage(config), FillStage(config), check]


def synthesize_in_process(input_path: str, config: SynthesisConfig, limit: int | None = None) -> pa.Table:
    """The whole synthesis in this process, without Ray: for tests, sweeps and small samples.
    Returns the checked rows (letters and errors) as one table."""
    stages = build_stages(config)
    for stage in stages:
        stage.setup()
    carried: list[str] = []
    tables = []
    for table in _limited(readers.iter_letter_tables(input_path, config), limit):
        carried.extend(c for c in table.column_names[len(readers.BASE_COLUMNS):] if c not in carried)
        tables.append(table)
    if not tables:
        return pa.table({})
    batch = pa.concat_tables([readers.conform(t, carried) for t in tables])
    outputs = [run_stages(batch.slice(i, config.letters_per_batch), stages)
               for i in range(0, batch.num_rows, config.letters_per_batch)]
    return pa.concat_tables(outputs)


def _limited(tables: Iterator[pa.Table], limit: int | None) -> Iterator[pa.Table]:
    remaining = limit
    for table in tables:
        if remaining is not None:
            table = table.slice(0, remaining)
            remaining -= table.num_rows
        if table.num_rows:
            yield table
        if remaining == 0:
            return


# --- Ray -----------------------------------------------------------------------------------------------


def init_ray(address: str | None, runtime_env: dict | None = None) -> None:
    """Join the cluster at `address` (or RAY_ADDRESS), or start a local Ray."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # torch before Ray: loading torch's MKL once Ray's threads run can abort the process
    # ("Intel oneMKL FATAL ERROR: Cannot load libtorch_cpu.so", seen under `ray job submit`).
    import torch  # noqa: F401
    import ray

    if not ray.is_initialized():
        ray.init(address=address, runtime_env=runtime_env or None, include_dashboard=False, configure_logging=False)


@dataclass
class ScanResult:
    rows: int  # every row of the input, bad ones included
    duplicate_keys: frozenset[int]
    done_keys: frozenset[int]  # good rows already synthesized with this configuration (incremental runs)
    carried: list[str]


def synthesize(
    input_path: str, output_dir: str, config: SynthesisConfig, overwrite: bool = False, incremental: bool = False
) -> dict:
    """Run the synthesis on Ray Data into OUTPUT_DIR (letters/, errors.parquet, summary.json, _manifest/).

    `incremental`: keep what OUTPUT_DIR already holds and synthesize only the letters not yet synthesized
    with this configuration (by id and text); also resumes an interrupted run. Returns the summary."""
    from syndeid.filling.model import model_fingerprint, model_name

    store = OutputStore(output_dir)
    if store.exists() and not incremental:
        if not overwrite:
            raise FileExistsError(17, "output already exists (use --overwrite to replace it, --incremental to add to it)", output_dir)
        store.clear()
    files = readers.list_input_files(input_path, config.input_format)
    init_ray(config.address)
    started = time.perf_counter()
    name, fingerprint = model_name(config.model), model_fingerprint(config.model)
    config_hash = CheckStage(config, name, fingerprint).config_hash
    orphans = store.remove_orphans()
    scan = _scan(files, config, store.done(config_hash) if incremental else set())
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    log.info("%d rows in %d file(s); %d already synthesized; %d repeated ids", scan.rows, len(files),
             len(scan.done_keys), len(scan.duplicate_keys))

    status_counts, error_reasons, errors = Counter(), Counter(), []
    progress = _Progress(scan.rows - len(scan.done_keys))
    for stats in _pipeline(files, config, (name, fingerprint), scan, output_dir, run_id).iter_batches(batch_format="pyarrow", batch_size=None):
        writers.count_statuses(status_counts, error_reasons, stats)
        errors.append(writers.errors_of(stats))
        progress.update(stats.num_rows, status_counts)
    superseded = store.compact()
    writers.write_table(pa.concat_tables([writers.ERRORS_SCHEMA.empty_table(), *errors]),
                        writers.join(output_dir, writers.ERRORS_FILE))
    result = writers.summary(
        scan.rows, status_counts, error_reasons, time.perf_counter() - started,
        rows_already_done=len(scan.done_keys), rows_superseded=superseded,
        orphan_parts_removed=orphans, incremental=incremental,
        config_hash=config_hash, model=name, strategy=config.strategy, seed=config.seed,
        syndeid_version=__version__, input=_redact(input_path), output=_redact(output_dir),
        mask_actors=config.mask_actors, fill_actors=config.fill_actors, fill_gpus=_fill_gpus(config),
    )
    writers.write_summary(result, writers.join(output_dir, writers.SUMMARY_FILE))
    return result


class _Progress:
    """A line every PROGRESS_EVERY_S seconds: counts and rates only, never text."""

    def __init__(self, total: int):
        self.total, self.done, self.started, self.last = total, 0, time.perf_counter(), time.perf_counter()

    def update(self, rows: int, counts: Counter) -> None:
        self.done += rows
        now = time.perf_counter()
        if now - self.last >= PROGRESS_EVERY_S or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            log.info("progress: %d/%d rows (%d ok, %d errors, %d leak-blocked), %.1f rows/s", self.done, self.total,
                     counts["ok"], counts["error"], counts["leak_blocked"], rate)


def _pipeline(files, config: SynthesisConfig, model: tuple[str, str], scan: ScanResult, output_dir: str, run_id: str):
    from ray.data import ActorPoolStrategy

    from syndeid.filling.stage import FillStage
    from syndeid.masking.stage import MaskStage

    gpus = _fill_gpus(config)
    cpus = _actor_cpus(config, gpus, _cluster_cpus())
    stage_args = dict(batch_format="pyarrow", batch_size=config.letters_per_batch)
    return (
        _files_dataset(files)
        .map_batches(
            _read_files, batch_size=_files_per_task(files), batch_format="pyarrow", num_cpus=cpus["task"],
            fn_kwargs={"config": config, "scan": scan},
        )
        # One file reads as one big block; small blocks let masking, filling and commits overlap and
        # keep memory flat however large a single input file is.
        .repartition(target_num_rows_per_block=config.letters_per_batch)
        .map_batches(
            _set_up(MaskStage), fn_constructor_kwargs={"config": config}, num_cpus=cpus["mask"],
            compute=ActorPoolStrategy(size=config.mask_actors), **stage_args,
        )
        .map_batches(
            _set_up(FillStage), fn_constructor_kwargs={"config": config}, num_cpus=cpus["fill"], num_gpus=gpus,
            compute=ActorPoolStrategy(size=config.fill_actors), **stage_args,
        )
        .map_batches(_check, fn_kwargs={"config": config, "model": model}, num_cpus=cpus["task"], **stage_args)
        .map_batches(
            _commit, fn_kwargs={"output_dir": output_dir, "run_id": run_id}, batch_format="pyarrow",
            batch_size=config.letters_per_file, num_cpus=cpus["task"],
        )
    )


def _set_up(stage_class):
    """A Ray actor class for a stage: Ray constructs it, then it is set up once in the actor."""

    class RayActor(stage_class):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.setup()

        def __call__(self, batch: pa.Table) -> pa.Table:
            return call_isolating_failures(super().__call__, batch, stage_class.__name__)

    RayActor.__name__ = RayActor.__qualname__ = stage_class.__name__
    return RayActor


def _check(batch: pa.Table, config: SynthesisConfig, model: tuple[str, str]) -> pa.Table:
    return CheckStage(config, *model)(batch)


def _commit(batch: pa.Table, output_dir: str, run_id: str) -> pa.Table:
    """Write one batch's letters and manifest part; pass on what the driver needs to count (no text)."""
    good = batch.filter(pc.not_equal(batch.column(STATUS), STATUS_ERROR))
    OutputStore(output_dir).commit(writers.letters_of(batch), good, part_name(run_id, batch))
    return batch.select([ID, STATUS, ERROR, SOURCE, CONFIG_HASH, VERSION])


def _cluster_cpus() -> float:
    import ray

    return ray.cluster_resources().get("CPU", 1)


def _fill_gpus(config: SynthesisConfig) -> float:
    import ray

    if config.device == "cpu":
        return 0.0
    has_gpus = ray.cluster_resources().get("GPU", 0) > 0
    if config.device == "cuda" and not has_gpus:
        raise RuntimeError("device is cuda but the Ray cluster has no GPUs")
    return 1.0 / config.fill_actors_per_gpu if has_gpus else 0.0


def _actor_cpus(config: SynthesisConfig, gpus: float, total_cpus: float) -> dict[str, float]:
    """CPU reservations that always fit the cluster: on a small machine the actors share cores fractionally
    instead of waiting for each other forever. One CPU stays free for the tasks between the actors (reads,
    the repartition, which Ray Data schedules at one CPU, checks and commits). A fill actor on a GPU keeps
    a whole core where there are enough (its host work: tokenizing, batching, sampling); the masking
    actors share the rest."""
    free = total_cpus - 1.0
    fill = _floor_share(free / (config.mask_actors + config.fill_actors)) if gpus else 0.0
    sharing = config.mask_actors + (0 if gpus else config.fill_actors)
    mask = _floor_share((free - config.fill_actors * fill) / sharing)
    return {"task": 0.1, "mask": mask, "fill": fill if gpus else mask}


def _floor_share(cpus: float) -> float:
    """At most one CPU, at least 0.05, rounded down to 0.01 so that the shares never add up past the total."""
    return max(0.05, math.floor(100 * min(1.0, cpus)) / 100)


def _files_dataset(files):
    import ray

    return ray.data.from_items([dataclasses.asdict(f) for f in files], override_num_blocks=min(len(files), 1024))


def _files_per_task(files) -> int:
    return 256 if files and files[0].format == "txt" else 1


def _read_files(batch: pa.Table, config: SynthesisConfig, scan: ScanResult) -> Iterator[pa.Table]:
    for file in _input_files(batch):
        for table in readers.read_file(file, config):
            table = readers.mark_rows_as_duplicates(table, scan.duplicate_keys)
            if scan.done_keys:
                table = table.filter(pc.invert(pc.is_in(table.column(ROW_KEY), pa.array(scan.done_keys, pa.int64()))))
            if table.num_rows:
                yield readers.conform(table, scan.carried)


def _scan_files(batch: pa.Table, config: SynthesisConfig) -> pa.Table:
    """First pass: per file, the ids, row keys and text fingerprints of its good rows, its row count and
    its carried column names. No text leaves the task."""
    out: dict[str, list] = {"ids": [], "keys": [], "hashes": [], "rows": [], "carried": []}
    for file in _input_files(batch):
        ids, keys, hashes, rows, carried = [], [], [], 0, []
        for table in readers.read_file(file, config):
            rows += table.num_rows
            good = table.filter(table.column(ROW_ERROR).is_null())
            ids += good.column(ID).to_pylist()
            keys += good.column(ROW_KEY).to_pylist()
            hashes += good.column(CONTENT_HASH).to_pylist()
            carried += [c for c in table.column_names[len(readers.BASE_COLUMNS):] if c not in carried]
        for column, value in zip(out, (ids, keys, hashes, rows, carried)):
            out[column].append(value)
    return pa.table(out)


def _scan(files, config: SynthesisConfig, done: set[tuple[str, str]]) -> ScanResult:
    first_key: dict[str, int] = {}
    duplicates, done_keys, carried, rows = set(), set(), [], 0
    scanned = _files_dataset(files).map_batches(
        _scan_files, batch_size=_files_per_task(files), batch_format="pyarrow", num_cpus=0.5,
        fn_kwargs={"config": config},
    )
    for file in scanned.iter_rows():
        rows += file["rows"]
        for letter_id, key, text_hash in zip(file["ids"], file["keys"], file["hashes"]):
            earlier = first_key.setdefault(letter_id, key)
            if earlier != key:
                duplicates.add(max(earlier, key))
                first_key[letter_id] = min(earlier, key)
            if (letter_id, text_hash) in done:
                done_keys.add(key)
        carried += [c for c in file["carried"] if c not in carried]
    return ScanResult(rows, frozenset(duplicates), frozenset(done_keys - duplicates), carried)


def _input_files(batch: pa.Table) -> list[readers.InputFile]:
    return [readers.InputFile(**row) for row in batch.to_pylist()]


def _redact(url: str) -> str:
    """A location for the summary without any credentials embedded in it."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rsplit('@', 1)[-1]}" if sep else url
