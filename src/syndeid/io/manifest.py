"""The output location as a store of committed parts, so that runs can be incremental and resumable.

    OUTPUT_DIR/letters/<part>.parquet     synthetic letters of one committed batch
    OUTPUT_DIR/_manifest/<part>.parquet   id, content hash and config hash of each letter in that part
    OUTPUT_DIR/errors.parquet             the bad rows of the latest run
    OUTPUT_DIR/summary.json               the latest run's summary

A batch is committed once its manifest part exists (written after its letters part, under a temporary name
and then moved). A letters part without a manifest part is the remains of an interrupted run: it is removed
before the next run. Part names start with the run's UTC start time, so later runs sort later; when an id has
entries in several parts (its text changed, its config changed, or a retried task wrote it twice), the latest
part wins and `compact` rewrites the others without it. The manifest holds ids and SHA-256 fingerprints of
letter texts, never text.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import fsspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from syndeid.io import writers
from syndeid.records import CONFIG_HASH, CONTENT_HASH, ID, ROW_KEY, STATUS

MANIFEST_DIR = "_manifest"
MANIFEST_COLUMNS = (ID, CONTENT_HASH, CONFIG_HASH, STATUS)


def part_name(run_id: str, checked: pa.Table) -> str:
    """The same batch always gets the same name, so a retried task overwrites its own earlier attempt."""
    keys = sorted(checked.column(ROW_KEY).to_pylist())
    return f"{run_id}-{hashlib.sha256(repr(keys).encode()).hexdigest()[:16]}"


class OutputStore:
    def __init__(self, output_dir: str):
        self.fs, self.root = fsspec.core.url_to_fs(output_dir)

    def _path(self, *parts: str) -> str:
        return writers.join(self.root, *parts)

    def exists(self) -> bool:
        self.fs.invalidate_cache(self.root)
        names = (writers.LETTERS_DIR, writers.ERRORS_FILE, writers.SUMMARY_FILE, MANIFEST_DIR)
        return any(self.fs.exists(self._path(name)) for name in names)

    def clear(self) -> None:
        for name in (writers.LETTERS_DIR, writers.ERRORS_FILE, writers.SUMMARY_FILE, MANIFEST_DIR):
            if self.fs.exists(self._path(name)):
                self.fs.rm(self._path(name), recursive=True)

    def _parts(self, directory: str) -> set[str]:
        # Object-store filesystems cache listings per process; other processes (Ray tasks) write parts.
        self.fs.invalidate_cache(self._path(directory))
        if not self.fs.exists(self._path(directory)):
            return set()
        return {p.rsplit("/", 1)[-1][: -len(".parquet")] for p in self.fs.ls(self._path(directory), detail=False)
                if p.endswith(".parquet")}

    def remove_orphans(self) -> int:
        """Remove letters parts that were never committed, and unfinished manifest writes."""
        orphans = self._parts(writers.LETTERS_DIR) - self._parts(MANIFEST_DIR)
        for part in orphans:
            self.fs.rm(self._path(writers.LETTERS_DIR, f"{part}.parquet"))
        for directory in (writers.LETTERS_DIR, MANIFEST_DIR):
            if self.fs.exists(self._path(directory)):
                for path in self.fs.ls(self._path(directory), detail=False):
                    if path.endswith(".tmp"):
                        self.fs.rm(path)
        return len(orphans)

    def manifest(self) -> pa.Table:
        """Every committed entry, with the part it is in."""
        tables = []
        for part in sorted(self._parts(MANIFEST_DIR)):
            table = pq.read_table(self._path(MANIFEST_DIR, f"{part}.parquet"), filesystem=self.fs)
            tables.append(table.append_column("part", pa.array([part] * table.num_rows, pa.string())))
        if not tables:
            return pa.table({c: pa.array([], pa.string()) for c in (*MANIFEST_COLUMNS, "part")})
        return pa.concat_tables(tables)

    def done(self, config_hash: str) -> set[tuple[str, str]]:
        """(id, content hash) of every letter already synthesized with this config."""
        manifest = self.manifest()
        same = manifest.filter(pc.equal(manifest.column(CONFIG_HASH), config_hash))
        return set(zip(same.column(ID).to_pylist(), same.column(CONTENT_HASH).to_pylist()))

    def commit(self, letters: pa.Table, entries: pa.Table, part: str) -> None:
        """Write a batch's letters, then its manifest part: the commit point."""
        if letters.num_rows == 0:
            return
        self._write(letters, self._path(writers.LETTERS_DIR, f"{part}.parquet"))
        self._write(entries.select(list(MANIFEST_COLUMNS)), self._path(MANIFEST_DIR, f"{part}.parquet"))

    def compact(self) -> int:
        """Keep only the latest entry of each id; rewrite the parts that hold older ones. Returns rows removed."""
        manifest = self.manifest()
        latest: dict[str, str] = {}
        for letter_id, part in zip(manifest.column(ID).to_pylist(), manifest.column("part").to_pylist()):
            latest[letter_id] = max(part, latest.get(letter_id, part))
        stale: dict[str, set[str]] = defaultdict(set)
        for letter_id, part in zip(manifest.column(ID).to_pylist(), manifest.column("part").to_pylist()):
            if part != latest[letter_id]:
                stale[part].add(letter_id)
        for part, ids in stale.items():
            for directory in (writers.LETTERS_DIR, MANIFEST_DIR):
                path = self._path(directory, f"{part}.parquet")
                table = pq.read_table(path, filesystem=self.fs)
                self._write(table.filter(pc.invert(pc.is_in(table.column(ID), pa.array(sorted(ids))))), path)
        return sum(len(ids) for ids in stale.values())

    def _write(self, table: pa.Table, path: str) -> None:
        """Write under a hidden temporary name, then move: a reader never sees half a file, and Parquet readers
        of the whole folder (pyarrow, Spark, DuckDB) skip names that begin with "." while the run goes on."""
        directory, name = path.rsplit("/", 1)
        staging = f"{directory}/.{name}.tmp"
        self.fs.makedirs(directory, exist_ok=True)
        with self.fs.open(staging, "wb") as handle:
            pq.write_table(table, handle)
        self.fs.mv(staging, path)
