"""A real two-node Ray cluster on this machine (`ray start` head + worker), `ray job submit` of
jobs/synthesize.py, a fill actor killed mid-run, and a driver killed mid-run then resumed with --incremental:
every input id ends up exactly once in the output."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from conftest import REPO

pytestmark = [pytest.mark.ray, pytest.mark.slow]
BIN = Path(sys.executable).parent
EXAMPLES = REPO / "examples" / "letters.jsonl"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ray_start(*args: str, env: dict) -> int:
    """`ray start` in a session of its own: every daemon it leaves behind shares its process group, so the
    teardown can stop this cluster alone (`ray stop` would stop every Ray on the machine, the tests' too)."""
    process = subprocess.Popen([str(BIN / "ray"), "start", *args], env=env, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output[-2000:]
    return process.pid


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Head and worker, two logical CPUs each (room for an actor and the tasks around it), in their own temp dir so they never meet the tests' local Ray."""
    temp = tmp_path_factory.mktemp("ray")
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled",
           "PATH": f"{BIN}:{os.environ['PATH']}"}
    gcs, dashboard = _free_port(), _free_port()
    groups = []
    try:
        groups.append(_ray_start("--head", f"--port={gcs}", "--num-cpus=2", "--include-dashboard=true",
                                 "--dashboard-host=127.0.0.1", f"--dashboard-port={dashboard}", f"--temp-dir={temp}",
                                 f"--ray-client-server-port={_free_port()}", *_agent_ports(), env=env))
        groups.append(_ray_start(f"--address=127.0.0.1:{gcs}", "--num-cpus=2", *_agent_ports(), env=env))
        _wait_for_job_agent(f"http://127.0.0.1:{dashboard}", env)
        yield {"gcs": f"127.0.0.1:{gcs}", "dashboard": f"http://127.0.0.1:{dashboard}", "env": env}
    finally:
        for group in groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The example letters eight times over (new ids), so that a run lasts long enough to be interrupted."""
    letters = [json.loads(line) for line in EXAMPLES.read_text().splitlines()]
    path = tmp_path_factory.mktemp("corpus") / "letters.jsonl"
    path.write_text("".join(json.dumps({**letter, "id": f"{letter['id']}-{copy}"}) + "\n"
                            for copy in range(8) for letter in letters))
    return path


def _agent_ports() -> list[str]:
    """Free ports for a node's agents: the defaults (e.g. 52365) are taken by the tests' own local Ray, and
    a head whose dashboard agent cannot bind answers every job with "No available agent"."""
    return [f"--dashboard-agent-listen-port={_free_port()}", f"--dashboard-agent-grpc-port={_free_port()}",
            f"--metrics-export-port={_free_port()}", f"--runtime-env-agent-port={_free_port()}"]


def _wait_for_job_agent(dashboard: str, env: dict, deadline_s: float = 180) -> None:
    """The head accepts jobs only once its job agent is up ("No available agent to submit job")."""
    deadline = time.monotonic() + deadline_s
    while True:
        probe = subprocess.run([str(BIN / "ray"), "job", "submit", "--address", dashboard, "--", "true"],
                               env=env, capture_output=True, text=True, timeout=120)
        if probe.returncode == 0 or time.monotonic() > deadline:
            assert probe.returncode == 0, probe.stdout[-2000:] + probe.stderr[-2000:]
            return
        time.sleep(2)


def _output_ids(out: Path) -> list[str]:
    return ds.dataset(str(out / "letters"), format="parquet").to_table().column("id").to_pylist()


def _input_ids(corpus: Path) -> list[str]:
    return [json.loads(line)["id"] for line in corpus.read_text().splitlines()]


def _submit(cluster, corpus: Path, out: Path, *extra: str) -> subprocess.Popen:
    # No --working-dir here: both nodes of this one-machine cluster share one session directory, and the
    # worker node re-extracting the same package under the running driver's feet breaks its imports. On a
    # real cluster each node has its own disk (tests/test_jobs.py covers the working-dir packaging).
    return subprocess.Popen(
        [str(BIN / "ray"), "job", "submit", "--address", cluster["dashboard"],
         "--", "python", str(REPO / "jobs" / "synthesize.py"), str(corpus), str(out), "--seed", "7", *extra],
        env=cluster["env"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_ray_job_submit_on_two_nodes_survives_a_killed_fill_actor(cluster, corpus, tiny_mlm_dir, tmp_path):
    out = tmp_path / "out"
    settings = tmp_path / "settings.yaml"
    settings.write_text("letters_per_file: 2\nletters_per_batch: 2\n")
    job = _submit(cluster, corpus, out, "--model", str(tiny_mlm_dir), "--config", str(settings))
    committed_before_kill = _kill_fill_actor_after_first_commit(out, deadline_s=300)
    output, _ = job.communicate(timeout=600)
    assert job.returncode == 0, output[-3000:]
    assert committed_before_kill is not None, "no fill actor was seen running after the first commit"
    assert committed_before_kill < len(_input_ids(corpus)), "the run finished before the kill"
    ids = _output_ids(out)
    assert sorted(ids) == sorted(_input_ids(corpus))  # every letter exactly once, after the kill
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows_ok"] + summary["rows_leak_blocked"] == len(ids)


def test_a_killed_run_resumes_with_incremental_and_a_rerun_adds_nothing(cluster, corpus, tiny_mlm_dir, tmp_path):
    out = tmp_path / "out"
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"model: {tiny_mlm_dir}\nletters_per_file: 4\nletters_per_batch: 4\n")
    command = [str(BIN / "syndeid"), "synthesize", str(corpus), str(out), "--seed", "7", "--incremental",
               "--config", str(settings), "--address", cluster["gcs"]]
    driver = subprocess.Popen(command, env=cluster["env"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((out / "_manifest").glob("*.parquet")):
        time.sleep(0.2)
    os.killpg(driver.pid, signal.SIGKILL)
    driver.wait()
    partial = _output_ids(out) if (out / "letters").exists() else []
    assert len(partial) < len(_input_ids(corpus)), "the run finished before it could be killed"

    resumed = subprocess.run(command, env=cluster["env"], capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert sorted(_output_ids(out)) == sorted(_input_ids(corpus))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows_already_done"] >= 1

    again = subprocess.run(command, env=cluster["env"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert sorted(_output_ids(out)) == sorted(_input_ids(corpus))
    assert json.loads((out / "summary.json").read_text())["rows_already_done"] == len(_input_ids(corpus))


def _kill_fill_actor_after_first_commit(out: Path, deadline_s: float) -> int | None:
    """Once the first batch is committed, SIGKILL the fill actor(s); return how many letters were committed
    at that moment (None if no fill actor was found in time)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline and not list((out / "_manifest").glob("*.parquet")):
        time.sleep(0.1)
    while time.monotonic() < deadline:
        found = subprocess.run(["pgrep", "-f", r"MapWorker\(MapBatches\(FillStage\)"], capture_output=True,
                               text=True).stdout.split()
        if found:
            committed = len(_output_ids(out))
            for pid in found:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            return committed
        time.sleep(0.1)
    return None
