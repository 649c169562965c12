"""s3:// input and output through fsspec (s3fs), against moto's S3 server on loopback: the readers and writers
in this process, and a whole synthesis on the session's Ray through the job entry points.

Credentials come the usual way, from AWS_* environment variables, with AWS_ENDPOINT_URL pointing at the server.
They are set when this module is collected, before any test starts the session's Ray, because Ray workers
inherit the environment of the process that starts Ray, and they read and write s3:// too. The values are fake
and are checked never to appear in what a run prints or writes.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import uuid

import pytest

pytest.importorskip("s3fs", reason="s3fs is a dependency (pip install -e .)")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is a test dependency (pip install -e .[test])")

import fsspec  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from conftest import REPO  # noqa: E402
from syndeid.config import SynthesisConfig  # noqa: E402
from syndeid.io import readers, writers  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


ACCESS_KEY = f"SYNDEIDTEST{uuid.uuid4().hex[:12].upper()}"
SECRET_KEY = f"syndeid-test-secret-{uuid.uuid4().hex}"
ENDPOINT = f"http://127.0.0.1:{_free_port()}"
os.environ.update({
    "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ENDPOINT_URL": ENDPOINT, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
})
for _name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
    os.environ.pop(_name, None)

LETTERS = [
    {"id": "s3-1", "text": "Mr. John Smith was seen in clinic on 03/14/2021 for chest pain. He denies fever.", "ward": "A"},
    {"id": "s3-2", "text": "The patient reports mild headache and nausea after starting the new medication.", "ward": "B"},
    {"id": "s3-3", "text": "Follow up in two weeks. Blood pressure is stable and the lungs are clear.", "ward": "A"},
]


@pytest.fixture(scope="module")
def bucket():
    """A fresh bucket on moto's S3 server, listening on 127.0.0.1 only."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = int(ENDPOINT.rsplit(":", 1)[1])
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    name = f"syndeid-{uuid.uuid4().hex[:12]}"
    fsspec.filesystem("s3").mkdir(name)
    try:
        yield name
    finally:
        fsspec.filesystem("s3").clear_instance_cache()
        server.stop()


def _put(url: str, data: bytes) -> None:
    with fsspec.open(url, "wb") as handle:
        handle.write(data)


def _jsonl(rows) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def _rows(path: str, config: SynthesisConfig = SynthesisConfig()) -> list[dict]:
    return [row for table in readers.iter_letter_tables(path, config) for row in table.to_pylist()]


# --- readers and writers, in this process ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "txt"])
def test_every_input_format_reads_the_same_from_s3_as_from_disk(fmt, bucket, tmp_path):
    local = tmp_path / "in"
    local.mkdir()
    if fmt == "jsonl":
        (local / "letters.jsonl").write_bytes(_jsonl(LETTERS))
    elif fmt == "csv":
        import csv

        with (local / "letters.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["id", "text", "ward"])
            writer.writeheader()
            writer.writerows(LETTERS)
    elif fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(LETTERS), local / "letters.parquet")
    else:
        for row in LETTERS:
            (local / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    remote = f"s3://{bucket}/formats/{fmt}"
    fs = fsspec.filesystem("s3")
    fs.put(str(local) + "/", remote.removeprefix("s3://") + "/", recursive=True)

    from_s3, from_disk = _rows(remote), _rows(str(local))
    assert from_s3 == from_disk
    assert [row["id"] for row in from_s3] == [row["id"] for row in LETTERS]
    assert [row["text"] for row in from_s3] == [row["text"] for row in LETTERS]
    assert all(row["row_error"] is None for row in from_s3)


def test_input_files_are_listed_with_their_s3_urls(bucket):
    for name in ("b.jsonl", "a.jsonl", "nested/c.jsonl", "notes.md"):
        _put(f"s3://{bucket}/listing/{name}", _jsonl(LETTERS[:1]))
    files = readers.list_input_files(f"s3://{bucket}/listing")
    assert [f.url for f in files] == [f"s3://{bucket}/listing/{n}" for n in ("a.jsonl", "b.jsonl", "nested/c.jsonl")]
    assert [f.name for f in files] == ["a.jsonl", "b.jsonl", "nested/c.jsonl"]
    assert {f.format for f in files} == {"jsonl"}


def test_bad_rows_on_s3_become_error_rows(bucket):
    _put(f"s3://{bucket}/bad/letters.jsonl", _jsonl(LETTERS[:1]) + b'{"id": "cut", "text": "John Sm\n' + b'{"id": "x", "text": "caf\xe9"}\n')
    rows = _rows(f"s3://{bucket}/bad/letters.jsonl")
    assert [row["row_error"] is None for row in rows] == [True, False, False]
    assert all("John" not in (row["row_error"] or "") for row in rows)


def test_a_missing_s3_input_is_reported_as_not_found(bucket):
    with pytest.raises(FileNotFoundError):
        readers.list_input_files(f"s3://{bucket}/no-such-prefix/")


def test_output_files_round_trip_through_s3(bucket):
    base = f"s3://{bucket}/written"
    table = pa.table({"id": ["a", "b"], "synthetic_text": ["one", "two"]})
    writers.write_table(table, writers.join(base, writers.ERRORS_FILE))
    writers.write_summary({"rows_in": 2, "output": base}, writers.join(base + "/", writers.SUMMARY_FILE))
    assert pq.read_table(fsspec.open(f"{base}/{writers.ERRORS_FILE}", "rb").open()).equals(table)
    with fsspec.open(f"{base}/{writers.SUMMARY_FILE}", "r") as handle:
        assert json.load(handle) == {"rows_in": 2, "output": base}


def test_the_output_store_commits_and_compacts_on_s3(bucket):
    from syndeid.io.manifest import OutputStore, part_name
    from syndeid.records import CONFIG_HASH, CONTENT_HASH, ID, ROW_KEY, STATUS, SYNTHETIC_TEXT

    def batch(ids, hashes, first_key):
        return pa.table({ID: ids, SYNTHETIC_TEXT: [f"synthetic {i}" for i in ids], STATUS: ["ok"] * len(ids),
                         CONTENT_HASH: hashes, CONFIG_HASH: ["c1"] * len(ids),
                         ROW_KEY: pa.array(range(first_key, first_key + len(ids)), pa.int64())})

    store = OutputStore(f"s3://{bucket}/store")
    first, second = batch(["a", "b"], ["h1", "h2"], 0), batch(["b"], ["h2-edited"], 10)
    store.commit(first.select([ID, SYNTHETIC_TEXT, STATUS]), first, part_name("20260101T000000Z", first))
    assert store.done("c1") == {("a", "h1"), ("b", "h2")}
    store.commit(second.select([ID, SYNTHETIC_TEXT, STATUS]), second, part_name("20260102T000000Z", second))
    assert store.compact() == 1
    assert sorted(zip(store.manifest().column(ID).to_pylist(), store.manifest().column(CONTENT_HASH).to_pylist())) == [
        ("a", "h1"), ("b", "h2-edited")]


def test_the_output_store_sees_parts_that_other_processes_committed(bucket):
    """Ray tasks commit parts from other processes while the driver's store lists the same prefix before and
    after the run: the driver must not answer from a stale listing."""
    from syndeid.io.manifest import MANIFEST_DIR, OutputStore
    from syndeid.records import CONFIG_HASH, CONTENT_HASH, ID, STATUS

    base = f"s3://{bucket}/shared-store"
    store = OutputStore(base)
    worker_fs = fsspec.filesystem("s3", skip_instance_cache=True)  # another process's view of the bucket

    def commit_elsewhere(part: str, letter_id: str) -> None:
        entries = pa.table({ID: [letter_id], CONTENT_HASH: ["h"], CONFIG_HASH: ["c1"], STATUS: ["ok"]})
        with worker_fs.open(f"{base.removeprefix('s3://')}/{MANIFEST_DIR}/{part}.parquet", "wb") as handle:
            pq.write_table(entries, handle)

    commit_elsewhere("20260101T000000Z-0", "a")
    assert store.done("c1") == {("a", "h")}  # the driver lists the manifest, as an incremental run starts
    commit_elsewhere("20260101T000000Z-1", "b")  # a task commits during the run
    assert OutputStore(base).done("c1") == {("a", "h"), ("b", "h")}  # the driver lists again, to compact


def test_a_model_directory_loads_from_s3(bucket, tiny_mlm_dir, tmp_path, monkeypatch):
    from syndeid.filling.model import CACHE_ENV, load_mlm

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    url = f"s3://{bucket}/models/tiny"
    fsspec.filesystem("s3").put(str(tiny_mlm_dir) + "/", url.removeprefix("s3://") + "/", recursive=True)
    model, tokenizer = load_mlm(url, device="cpu")
    assert tokenizer.mask_token == "[MASK]" and model.config.hidden_size == 64


# --- a whole synthesis on Ray, through the job entry points -------------------------------------------------


def _run_job(job: str, args: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(REPO / "jobs" / job), *args],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    printed = result.stdout + result.stderr
    assert SECRET_KEY not in printed and ACCESS_KEY not in printed, "credentials in the job's output"
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _output_ids(base: str) -> tuple[list[str], list[str]]:
    fs = fsspec.filesystem("s3", skip_instance_cache=True)
    root = base.removeprefix("s3://")
    letters = [pq.read_table(fs.open(path, "rb")) for path in sorted(fs.glob(f"{root}/letters/*.parquet"))]
    errors = pq.read_table(fs.open(f"{root}/{writers.ERRORS_FILE}", "rb"))
    letter_ids = [i for table in letters for i in table.column("id").to_pylist()]
    return letter_ids, errors.column("id").to_pylist()




@pytest.fixture(scope="module")
def first_synthesis(bucket, ray_session, tiny_mlm_dir):
    """`jobs/synthesize.py` from s3:// to s3://, as a second driver on the session's Ray."""
    address = ray_session.get_runtime_context().gcs_address
    source, out = f"s3://{bucket}/e2e/in/letters.jsonl", f"s3://{bucket}/e2e/out"
    options = ["--seed", "7", "--model", str(tiny_mlm_dir), "--mask-actors", "1", "--fill-actors", "1", "--address", address]
    _put(source, _jsonl(LETTERS) + b'{"id": "empty", "text": " "}\n')
    _run_job("synthesize.py", [source, out, *options])
    return source, out, options


@pytest.mark.ray
@pytest.mark.slow
def test_a_synthesis_reads_and_writes_s3(first_synthesis):
    source, out, options = first_synthesis
    letter_ids, error_ids = _output_ids(out)
    assert sorted(letter_ids) == sorted(row["id"] for row in LETTERS) and error_ids == ["empty"]
    summary = _summary(out)
    assert (summary["rows_in"], summary["rows_ok"] + summary["rows_leak_blocked"], summary["rows_error"]) == (4, 3, 1)
    assert summary["input"] == source and summary["output"] == out
    _assert_no_credentials_under(out)


@pytest.mark.ray
@pytest.mark.slow
def test_a_nightly_run_on_s3_adds_only_what_changed(first_synthesis):
    source, out, options = first_synthesis
    edited = [LETTERS[0], {**LETTERS[1], "text": LETTERS[1]["text"] + " She is improving."}, LETTERS[2],
              {"id": "s3-4", "text": "The wound is healing well and there is no sign of infection.", "ward": "C"}]
    _put(source, _jsonl(edited))
    _run_job("nightly.py", [source, out, *options])
    letter_ids, error_ids = _output_ids(out)
    assert sorted(letter_ids) == ["s3-1", "s3-2", "s3-3", "s3-4"], "every id exactly once"
    summary = _summary(out)
    assert summary["rows_already_done"] == 2 and summary["rows_ok"] + summary["rows_leak_blocked"] == 2
    _assert_no_credentials_under(out)


def _summary(base: str) -> dict:
    with fsspec.open(f"{base}/{writers.SUMMARY_FILE}", "r") as handle:
        return json.load(handle)


def _assert_no_credentials_under(base: str) -> None:
    fs = fsspec.filesystem("s3", skip_instance_cache=True)
    for name in fs.find(base.removeprefix("s3://")):
        with fs.open(name, "rb") as handle:
            data = handle.read()
        assert SECRET_KEY.encode() not in data and ACCESS_KEY.encode() not in data, name
