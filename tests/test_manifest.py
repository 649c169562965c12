"""The output store behind incremental, resumable runs: commits, orphans of a killed run, compaction."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.dataset as ds

from syndeid.io.manifest import MANIFEST_DIR, OutputStore, part_name
from syndeid.records import CONFIG_HASH, CONTENT_HASH, ID, ROW_KEY, STATUS, SYNTHETIC_TEXT


def _batch(ids, hashes, config_hash="c1", first_key=0):
    n = len(ids)
    return pa.table({
        ID: ids, SYNTHETIC_TEXT: [f"synthetic {i}" for i in ids], STATUS: ["ok"] * n,
        CONTENT_HASH: hashes, CONFIG_HASH: [config_hash] * n, ROW_KEY: pa.array(range(first_key, first_key + n), pa.int64()),
    })


def _commit(store, run_id, batch):
    store.commit(batch.select([ID, SYNTHETIC_TEXT, STATUS]), batch, part_name(run_id, batch))


def _letter_ids(out) -> list[str]:
    return sorted(ds.dataset(str(out / "letters"), format="parquet").to_table().column(ID).to_pylist())


def test_done_set_is_per_config_and_per_text(tmp_path):
    store = OutputStore(str(tmp_path))
    _commit(store, "20260101T000000Z", _batch(["a", "b"], ["h1", "h2"]))
    assert store.done("c1") == {("a", "h1"), ("b", "h2")}
    assert store.done("another-config") == set()


def test_part_names_are_stable_for_the_same_batch():
    batch = _batch(["a", "b"], ["h1", "h2"])
    assert part_name("r", batch) == part_name("r", batch.slice(0))
    assert part_name("r", batch) != part_name("r", batch.slice(0, 1))


def test_an_uncommitted_letters_part_is_removed_before_the_next_run(tmp_path):
    store = OutputStore(str(tmp_path))
    _commit(store, "20260101T000000Z", _batch(["a"], ["h1"]))
    batch = _batch(["b"], ["h2"], first_key=5)
    _commit(store, "20260101T000000Z", batch)
    (tmp_path / MANIFEST_DIR / f"{part_name('20260101T000000Z', batch)}.parquet").unlink()  # killed before commit
    assert store.remove_orphans() == 1
    assert _letter_ids(tmp_path) == ["a"]
    assert store.done("c1") == {("a", "h1")}


def test_compaction_keeps_only_the_latest_version_of_each_letter(tmp_path):
    store = OutputStore(str(tmp_path))
    _commit(store, "20260101T000000Z", _batch(["a", "b"], ["h1", "h2"]))
    _commit(store, "20260102T000000Z", _batch(["b"], ["h2-changed"], first_key=9))
    assert store.compact() == 1
    assert _letter_ids(tmp_path) == ["a", "b"]
    assert store.done("c1") == {("a", "h1"), ("b", "h2-changed")}
    assert store.compact() == 0


def test_clear_and_exists(tmp_path):
    store = OutputStore(str(tmp_path / "out"))
    assert not store.exists()
    _commit(store, "20260101T000000Z", _batch(["a"], ["h1"]))
    assert store.exists()
    store.clear()
    assert not store.exists()


def test_a_part_being_written_is_hidden_from_readers_of_the_folder(tmp_path, monkeypatch):
    store = OutputStore(str(tmp_path))
    _commit(store, "20260101T000000Z", _batch(["a"], ["h1"]))
    staged = []
    real_mv = store.fs.mv

    def mv_after_a_read(source, target, **kwargs):  # a reader lists the folder while a part is being written
        staged.append(source.rsplit("/", 1)[-1])
        assert _letter_ids(tmp_path) == ["a"] or "_manifest" in source
        return real_mv(source, target, **kwargs)

    monkeypatch.setattr(store.fs, "mv", mv_after_a_read)
    _commit(store, "20260101T000000Z", _batch(["b"], ["h2"], first_key=5))
    assert staged and all(name.startswith(".") and name.endswith(".tmp") for name in staged)
    assert _letter_ids(tmp_path) == ["a", "b"]


def test_a_staging_file_left_by_a_killed_run_is_removed(tmp_path):
    store = OutputStore(str(tmp_path))
    _commit(store, "20260101T000000Z", _batch(["a"], ["h1"]))
    (tmp_path / "letters" / ".20260101T000001Z-x.parquet.tmp").write_bytes(b"")  # killed mid-write
    assert _letter_ids(tmp_path) == ["a"]
    store.remove_orphans()
    assert not list((tmp_path / "letters").glob(".*.tmp"))
