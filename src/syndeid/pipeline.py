"""Wires the stages into Ray Data. Nothing here transforms a letter: that is the stages' job.

    files -> read (tasks) -> MaskStage (CPU actors) -> FillStage (GPU actors, CPU without GPUs)
          -> CheckStage (tasks) -> letters Parquet + errors Parquet + summary.json

Repeated ids are found by a first, cheap pass over the files (ids only), so that the first occurrence in
input order wins whatever the number of blocks or actors.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections import Counter
from typing import Iterator

import fsspec
import pyarrow as pa

from syndeid import __version__
from syndeid.config import SynthesisConfig
from syndeid.io import readers, writers
from syndeid.records import ID, ROW_ERROR, ROW_KEY
from syndeid.stage import run_stages

log = logging.getLogger(__name__)


def build_stages(config: SynthesisConfig) -> list:
    """The three stages, not yet set up (Ray sets each up in its own actor)."""
    from syndeid.filling.model import model_name
    from syndeid.filling.stage import FillStage
    from syndeid.masking.stage import MaskStage
    from syndeid.privacy.check import CheckStage

    return [MaskStage(config), FillStage(config), CheckStage(config, model_name(config.model))]


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


def init_ray(address: str | None) -> None:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=True, configure_logging=False)


def synthesize(input_path: str, output_dir: str, config: SynthesisConfig, overwrite: bool = False) -> dict:
    """Run the synthesis on Ray Data and write OUTPUT_DIR/letters/, errors.parquet and summary.json.
    Returns the summary."""
    import ray

    from syndeid.filling.model import model_name

    if writers.output_exists(output_dir):
        if not overwrite:
            raise FileExistsError(17, "output already exists (use --overwrite to replace it)", output_dir)
        writers.remove_output(output_dir)
    files = readers.list_input_files(input_path, config.input_format)
    init_ray(config.address)
    started = time.perf_counter()
    name = model_name(config.model)
    duplicate_keys, carried = _scan(files, config)
    checked = _pipeline(files, config, name, duplicate_keys, carried).materialize()

    status_counts, error_reasons = Counter(), Counter()
    errors = []
    for ref in checked.to_arrow_refs():
        table = ray.get(ref)
        writers.count_statuses(status_counts, error_reasons, table)
        errors.append(writers.errors_of(table))
    _write_letters(checked, output_dir, carried, config)
    error_table = pa.concat_tables(errors) if errors else writers.ERRORS_SCHEMA.empty_table()
    writers.write_table(error_table, writers.join(output_dir, writers.ERRORS_FILE))
    result = writers.summary(
        status_counts, error_reasons, time.perf_counter() - started,
        config_hash=config.config_hash(name), model=name, strategy=config.strategy, seed=config.seed,
        syndeid_version=__version__, input=_redact(input_path), output=_redact(output_dir),
        mask_actors=config.mask_actors, fill_actors=config.fill_actors, fill_gpus=_fill_gpus(config),
    )
    writers.write_summary(result, writers.join(output_dir, writers.SUMMARY_FILE))
    return result


def _pipeline(files, config: SynthesisConfig, name: str, duplicate_keys: frozenset[int], carried: list[str]):
    import ray
    from ray.data import ActorPoolStrategy

    from syndeid.filling.stage import FillStage
    from syndeid.masking.stage import MaskStage
    from syndeid.privacy.check import CheckStage

    gpus = _fill_gpus(config)
    cpus = _actor_cpus(config, gpus)
    files_ds = ray.data.from_items([dataclasses.asdict(f) for f in files], override_num_blocks=min(len(files), 1024))
    return (
        files_ds.map_batches(
            _read_files, batch_size=_files_per_task(files), batch_format="pyarrow", num_cpus=cpus["read"],
            fn_kwargs={"config": config, "duplicate_keys": duplicate_keys, "carried": carried},
        )
        .map_batches(
            _set_up(MaskStage), fn_constructor_kwargs={"config": config}, batch_format="pyarrow",
            batch_size=config.letters_per_batch, compute=ActorPoolStrategy(size=config.mask_actors),
            num_cpus=cpus["mask"],
        )
        .map_batches(
            _set_up(FillStage), fn_constructor_kwargs={"config": config}, batch_format="pyarrow",
            batch_size=config.letters_per_batch, compute=ActorPoolStrategy(size=config.fill_actors),
            num_cpus=cpus["fill"], num_gpus=gpus,
        )
        .map_batches(
            _check, fn_kwargs={"config": config, "model_name": name}, batch_format="pyarrow",
            batch_size=config.letters_per_batch, num_cpus=cpus["read"],
        )
    )


def _set_up(stage_class):
    """A Ray actor class for a stage: Ray constructs it, then it is set up once in the actor."""

    class RayActor(stage_class):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.setup()

    RayActor.__name__ = RayActor.__qualname__ = stage_class.__name__
    return RayActor


def _check(batch: pa.Table, config: SynthesisConfig, model_name: str) -> pa.Table:
    from syndeid.privacy.check import CheckStage

    return CheckStage(config, model_name)(batch)


def _fill_gpus(config: SynthesisConfig) -> float:
    import ray

    if config.device == "cpu":
        return 0.0
    has_gpus = ray.cluster_resources().get("GPU", 0) > 0
    if config.device == "cuda" and not has_gpus:
        raise RuntimeError("device is cuda but the Ray cluster has no GPUs")
    return 1.0 if has_gpus else 0.0


def _actor_cpus(config: SynthesisConfig, gpus: float) -> dict[str, float]:
    """CPU reservations that always fit the cluster: on a small machine the actors share cores fractionally
    instead of waiting for each other forever."""
    import ray

    total = ray.cluster_resources().get("CPU", 1)
    actors = config.mask_actors + (0 if gpus else config.fill_actors)
    share = min(1.0, (total - 0.5) / max(actors, 1))
    share = max(0.05, round(share, 2))
    return {"read": 0.25, "mask": share, "fill": 1.0 if gpus else share}


def _files_per_task(files) -> int:
    return 256 if files and files[0].format == "txt" else 1


def _read_files(batch: pa.Table, config, duplicate_keys, carried) -> Iterator[pa.Table]:
    for file in _input_files(batch):
        for table in readers.read_file(file, config):
            yield readers.conform(readers.mark_rows_as_duplicates(table, duplicate_keys), carried)


def _scan_files(batch: pa.Table, config) -> pa.Table:
    """First pass: the ids, row keys and carried column names of each file (no text leaves the task)."""
    ids, keys, carried = [], [], []
    for file in _input_files(batch):
        file_ids, file_keys, file_carried = [], [], []
        for table in readers.read_file(file, config):
            good = table.filter(table.column(ROW_ERROR).is_null())
            file_ids.extend(good.column(ID).to_pylist())
            file_keys.extend(good.column(ROW_KEY).to_pylist())
            file_carried.extend(c for c in table.column_names[len(readers.BASE_COLUMNS):] if c not in file_carried)
        ids.append(file_ids), keys.append(file_keys), carried.append(file_carried)
    return pa.table({"ids": pa.array(ids, pa.list_(pa.string())), "keys": pa.array(keys, pa.list_(pa.int64())),
                     "carried": pa.array(carried, pa.list_(pa.string()))})


def _scan(files, config: SynthesisConfig) -> tuple[frozenset[int], list[str]]:
    import ray

    rows = (
        ray.data.from_items([dataclasses.asdict(f) for f in files], override_num_blocks=min(len(files), 1024))
        .map_batches(_scan_files, batch_size=_files_per_task(files), batch_format="pyarrow", num_cpus=0.5,
                     fn_kwargs={"config": config})
        .take_all()
    )
    first_key: dict[str, int] = {}
    duplicates: set[int] = set()
    carried: list[str] = []
    for row in rows:
        for letter_id, key in zip(row["ids"], row["keys"]):
            earlier = first_key.setdefault(letter_id, key)
            if earlier != key:
                duplicates.add(max(earlier, key))
                first_key[letter_id] = min(earlier, key)
        carried.extend(c for c in row["carried"] if c not in carried)
    return frozenset(duplicates), carried


def _input_files(batch: pa.Table) -> list[readers.InputFile]:
    return [readers.InputFile(**row) for row in batch.to_pylist()]


def _write_letters(checked, output_dir: str, carried: list[str], config: SynthesisConfig) -> None:
    from pyarrow.fs import FSSpecHandler, PyFileSystem

    letters = checked.map_batches(writers.letters_of, batch_format="pyarrow", num_cpus=0.25)
    fs, root = fsspec.core.url_to_fs(writers.join(output_dir, writers.LETTERS_DIR))
    if letters.count() == 0:
        fs.makedirs(root, exist_ok=True)
        writers.write_table(writers.empty_letters_table(carried), writers.join(output_dir, writers.LETTERS_DIR, "part-0.parquet"))
        return
    letters.write_parquet(root, filesystem=PyFileSystem(FSSpecHandler(fs)))


def _redact(url: str) -> str:
    """A location for the summary without any credentials embedded in it."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rsplit('@', 1)[-1]}" if sep else url
