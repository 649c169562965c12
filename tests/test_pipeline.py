"""End to end on the session's local Ray: rows in = rows out + error rows, determinism whatever the actors
and blocks, no PHI or letter text in what is printed or written."""

from __future__ import annotations

import json

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from syndeid.config import SynthesisConfig
from syndeid.pipeline import synthesize, synthesize_in_process

from conftest import REPO

pytestmark = pytest.mark.ray
EXAMPLES = REPO / "examples" / "letters.jsonl"
PHI_IN_EXAMPLES = ("Margaret Ellison", "4471093", "(617) 555-0142", "Okafor")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The example letters plus one row of each bad-input class."""
    path = tmp_path_factory.mktemp("corpus") / "letters.jsonl"
    lines = EXAMPLES.read_bytes().splitlines()[:8]
    lines += [
        json.dumps({"id": "empty", "text": " "}).encode(),
        b'{"id": "broken", "text": "Margaret Ellison',
        b'{"id": "latin1", "text": "caf\xe9"}',
        json.dumps({"text": "no id here"}).encode(),
        lines[0],  # a repeated id
        json.dumps({"id": "huge", "text": "word " * 220_000}).encode(),  # over 1 MB
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, len(lines)


def _letters(out) -> dict[str, dict]:
    table = ds.dataset(str(out / "letters"), format="parquet").to_table()
    return {row["id"]: row for row in table.to_pylist()}


@pytest.fixture(scope="module")
def first_run(ray_session, corpus, tmp_path_factory):
    path, n = corpus
    out = tmp_path_factory.mktemp("run1")
    summary = synthesize(str(path), str(out), SynthesisConfig(seed=7))
    return path, n, out, summary


def test_every_row_is_accounted_for(first_run):
    path, n_rows, out, summary = first_run
    letters = _letters(out)
    errors = pq.read_table(out / "errors.parquet").to_pylist()
    assert summary["rows_in"] == n_rows == len(letters) + len(errors)
    assert summary["rows_error"] == len(errors) == 6
    assert summary["rows_ok"] + summary["rows_leak_blocked"] == len(letters)
    assert json.loads((out / "summary.json").read_text())["rows_in"] == n_rows
    reasons = sorted(e["error"].split(" (")[0] for e in errors)
    assert reasons == ["duplicate id", "empty text", "invalid UTF-8", "malformed JSON", "missing id", "text too long"]


def test_ok_letters_are_changed_have_no_mask_left_and_no_phi(first_run):
    path, _, out, _ = first_run
    originals = {json.loads(l)["id"]: json.loads(l)["text"] for l in path.read_text(errors="replace").splitlines()[:8]}
    for letter_id, row in _letters(out).items():
        if row["status"] != "ok":
            continue
        assert row["synthetic_text"] != originals[letter_id]
        assert "[MASK]" not in row["synthetic_text"]
        assert row["n_masked"] > 0 and row["n_phi"] > 0
        for phi in PHI_IN_EXAMPLES:
            assert phi.lower() not in row["synthetic_text"].lower()
        assert "text" not in row  # the original never reaches the output


def test_nothing_written_quotes_letter_text(first_run):
    path, _, out, summary = first_run
    written = (out / "summary.json").read_text() + json.dumps(pq.read_table(out / "errors.parquet").to_pylist())
    for phi in PHI_IN_EXAMPLES + ("word word",):
        assert phi not in written


def test_same_seed_same_bytes_whatever_the_actors_and_blocks(first_run, tmp_path):
    path, _, out, _ = first_run
    config = SynthesisConfig(seed=7, mask_actors=2, letters_per_batch=3)
    synthesize(str(path), str(tmp_path / "run2"), config)
    first, second = _letters(out), _letters(tmp_path / "run2")
    assert first.keys() == second.keys()
    for letter_id in first:
        assert first[letter_id]["synthetic_text"] == second[letter_id]["synthetic_text"], "differs for one letter"
    in_process = synthesize_in_process(str(path), SynthesisConfig(seed=7, letters_per_batch=5))
    for row in in_process.to_pylist():
        if row["status"] != "error":
            assert row["synthetic_text"] == first[row["id"]]["synthetic_text"]


def test_existing_output_is_not_overwritten_by_accident(first_run):
    path, _, out, _ = first_run
    with pytest.raises(FileExistsError):
        synthesize(str(path), str(out), SynthesisConfig(seed=7))


@pytest.mark.parametrize(("device", "cluster_gpus", "per_gpu", "expected"), [
    ("auto", 0, 4, 0.0), ("auto", 1, 1, 1.0), ("auto", 1, 4, 0.25), ("cpu", 8, 2, 0.0),
])
def test_fill_actors_share_a_gpu_when_asked(monkeypatch, device, cluster_gpus, per_gpu, expected):
    import ray

    from syndeid.pipeline import _fill_gpus

    monkeypatch.setattr(ray, "cluster_resources", lambda: {"CPU": 16.0, "GPU": float(cluster_gpus)})
    config = SynthesisConfig(device=device, fill_actors=per_gpu, fill_actors_per_gpu=per_gpu)
    assert _fill_gpus(config) == expected


@pytest.mark.parametrize(("cpus", "gpus", "mask_actors", "fill_actors"), [
    (16, 0.25, 14, 4), (16, 1.0, 14, 1), (16, 0.0, 14, 1), (2, 0.0, 1, 1), (2, 0.5, 1, 2), (64, 1.0, 8, 1),
])
def test_actor_reservations_fit_the_cluster_with_a_core_left_for_tasks(cpus, gpus, mask_actors, fill_actors):
    from syndeid.pipeline import _actor_cpus

    config = SynthesisConfig(mask_actors=mask_actors, fill_actors=fill_actors)
    reserved = _actor_cpus(config, gpus, cpus)
    actors_cpus = mask_actors * reserved["mask"] + fill_actors * reserved["fill"]
    assert actors_cpus <= cpus - 1 + 1e-9
    if not gpus:
        assert reserved["fill"] == reserved["mask"]
    elif cpus - 1 >= mask_actors + fill_actors:
        assert reserved["fill"] == 1.0  # a GPU's fill actor keeps a whole core where there are enough
    assert 0.05 <= reserved["mask"] <= 1.0


def test_a_gpu_shared_by_no_actor_is_refused_and_sharing_never_changes_the_output():
    with pytest.raises(Exception, match="fill_actors_per_gpu"):
        SynthesisConfig(fill_actors_per_gpu=0)
    assert SynthesisConfig(fill_actors_per_gpu=4).config_hash("m") == SynthesisConfig().config_hash("m")
