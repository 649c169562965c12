"""`syndeid train-mlm --workers 2`: data-parallel training on Ray Train, on the tests' local Ray."""

from __future__ import annotations

import json
import math

import pytest
import torch

from syndeid.training.distributed import shard_indices

LETTERS = [
    "The patient was seen in clinic today for follow up of hypertension and diabetes.",
    "She reports chest pain in the left arm, relieved at rest.",
    "Blood pressure was normal on the same medication dose.",
    "He denies cough, fever or nausea. The abdomen was soft and nontender.",
    "Plan: continue current medications and return to clinic in three months.",
    "The patient was discharged home in stable condition after the procedure.",
]


def test_shards_are_disjoint_cover_every_window_and_are_seeded():
    shards = [shard_indices(11, rank, 3, seed=4) for rank in range(3)]
    assert sorted(i for shard in shards for i in shard) == list(range(11))
    assert [len(s) for s in shards] == [4, 4, 3]
    assert shard_indices(11, 1, 3, seed=4) == shards[1] != shard_indices(11, 1, 3, seed=5)


def test_the_batch_must_divide_among_the_workers(tmp_path, capsys):
    from syndeid.cli import main

    letters = tmp_path / "letters.jsonl"
    letters.write_text(json.dumps({"id": "1", "text": LETTERS[0]}) + "\n")
    assert main(["train-mlm", str(letters), str(tmp_path / "model"), "--workers", "2", "--batch-size", "5"]) == 2
    assert "must divide by the number of workers" in capsys.readouterr().err


@pytest.mark.ray
def test_two_workers_train_resume_and_save(ray_session, tiny_mlm_dir, tmp_path, capsys, monkeypatch):
    import syndeid.training.job
    from syndeid.cli import main
    from transformers import AutoModelForMaskedLM

    # The spans come from the masker's detectors (tested with them); empty spans keep this test fast.
    monkeypatch.setattr(syndeid.training.job, "find_spans", lambda texts: ([[] for _ in texts], [[] for _ in texts]))
    letters = tmp_path / "letters.jsonl"
    letters.write_text("".join(json.dumps({"id": str(i), "text": f"{t} Note {i}."}) + "\n" for i, t in enumerate(LETTERS * 4)))
    checkpoints = tmp_path / "checkpoints"
    alone = [
        "train-mlm", str(letters), str(tmp_path / "model"), "--model", str(tiny_mlm_dir), "--device", "cpu",
        "--batch-size", "4", "--learning-rate", "1e-3", "--held-out-share", "0.2", "--eval-every", "2",
        "--checkpoint-dir", str(checkpoints), "--checkpoint-every", "2",
    ]
    args = [*alone, "--workers", "2", "--cpus-per-worker", "0.5"]  # two workers beside the tests' other Ray users

    assert main([*args, "--max-steps", "2"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (checkpoints / "step-2" / "trainer_state.pt").exists()
    # A time budget the run does not reach: the replicas still agree on the clock at every step.
    assert main([*args, "--max-steps", "4", "--resume", "--max-seconds", "600"]) == 0
    summary = json.loads(capsys.readouterr().out)

    workers = summary["distributed"]
    assert workers["world_size"] == 2
    n_train = summary["windows"]["train"]
    assert sorted(workers["windows_per_worker"]) == [n_train // 2, n_train - n_train // 2]
    assert workers["windows_on_several_workers"] == 0
    assert workers["same_weights_on_every_worker"]  # the gradients were all-reduced
    result = summary["result"]
    assert result["steps"] == 4 and (checkpoints / "step-4" / "trainer_state.pt").exists()
    assert [step for step, _ in result["heldout_losses"]] == [2, 4]
    assert result["heldout_losses"][0] == first["result"]["heldout_losses"][0]  # resumed, not restarted
    assert all(math.isfinite(loss) for _, loss in result["heldout_losses"])
    state = torch.load(checkpoints / "step-4" / "trainer_state.pt", weights_only=False)
    assert len(state["replicas"]) == 2 and state["replicas"][0]["batches"] != state["replicas"][1]["batches"]

    trained = AutoModelForMaskedLM.from_pretrained(tmp_path / "model")
    initial = AutoModelForMaskedLM.from_pretrained(tiny_mlm_dir)
    weights = initial.state_dict()
    assert any(not torch.equal(value, weights[name]) for name, value in trained.state_dict().items())

    # A checkpoint of two workers cannot silently continue as one process.
    assert main([*alone, "--max-steps", "6", "--resume"]) == 2
    assert "written by 2 worker(s)" in capsys.readouterr().err
