"""The `ray job submit` entry points of jobs/: they run from a plain checkout where syndeid is not installed,
put that checkout's package first for the driver and ship it to the Ray workers."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO

JOBS = ("synthesize.py", "evaluate.py", "train_mlm.py", "nightly.py")
MARKER = "SHIPPED_FROM_THE_CHECKOUT_COPY"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of the checkout's jobs/ and src/, elsewhere: what `ray job submit --working-dir .` unpacks. Its
    package carries a marker, so that a test can tell which copy a process imported."""
    root = tmp_path_factory.mktemp("checkout")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO / "jobs", root / "jobs", ignore=ignore)
    shutil.copytree(REPO / "src", root / "src", ignore=ignore)
    with (root / "src" / "syndeid" / "__init__.py").open("a", encoding="utf-8") as handle:
        handle.write(f"\n{MARKER} = True\n")
    return root


def run_python(code: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def bootstrap_module():
    spec = importlib.util.spec_from_file_location("syndeid_jobs_bootstrap", REPO / "jobs" / "_bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_checkout_that_is_not_installed_is_put_first_and_shipped_to_the_workers(checkout):
    result = run_python(f"""
        import json, sys
        sys.path.insert(0, {str(checkout / "jobs")!r})
        import _bootstrap
        ship = _bootstrap.use_checkout()
        import syndeid
        print(json.dumps({{"ship": ship, "marked": hasattr(syndeid, {MARKER!r}), "env": _bootstrap.worker_runtime_env()}}))
    """, cwd=checkout)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["ship"] is True and outcome["marked"] is True
    assert outcome["env"] == {"py_modules": [str(checkout / "src" / "syndeid")]}


def test_a_checkout_the_workers_import_anyway_is_not_shipped(checkout):
    """As with an editable install of this very checkout (the package dir already on the path)."""
    result = run_python(f"""
        import sys
        sys.path.insert(0, {str(checkout / "jobs")!r})
        import _bootstrap
        print(_bootstrap.use_checkout())
    """, cwd=checkout, env={"PYTHONPATH": str(checkout / "src")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_modules_the_job_already_ships_are_not_shipped_twice(monkeypatch):
    bootstrap = bootstrap_module()
    monkeypatch.delenv("RAY_JOB_CONFIG_JSON_ENV_VAR", raising=False)
    assert bootstrap.worker_runtime_env() == {"py_modules": [str(REPO / "src" / "syndeid")]}
    job_config = {"runtime_env": {"working_dir": "gcs://_ray_pkg_x.zip", "py_modules": ["gcs://_ray_pkg_y.zip"]}}
    monkeypatch.setenv("RAY_JOB_CONFIG_JSON_ENV_VAR", json.dumps(job_config))
    assert bootstrap.worker_runtime_env() == {}


def test_the_address_is_read_but_left_to_the_command():
    bootstrap = bootstrap_module()
    assert bootstrap.requested_address(["in", "out", "--address", "10.0.0.1:6379", "--seed", "7"]) == "10.0.0.1:6379"
    assert bootstrap.requested_address(["in", "out", "--address=auto"]) == "auto"
    assert bootstrap.requested_address(["in", "out", "--seed", "7"]) is None


def registered_commands() -> set[str]:
    from syndeid.cli import build_parser

    return set(next(a for a in build_parser()._actions if a.dest == "command").choices)


@pytest.mark.parametrize("job", JOBS)
def test_each_job_answers_help_from_a_plain_checkout(job, checkout):
    command = {"synthesize.py": "synthesize", "evaluate.py": "evaluate", "train_mlm.py": "train-mlm",
               "nightly.py": "synthesize"}[job]
    if command not in registered_commands():
        pytest.skip(f"`syndeid {command}` is not registered yet")
    if job == "nightly.py" and "--incremental" not in run_python(
        "from syndeid.cli import main; main(['synthesize', '--help'])", cwd=REPO).stdout:
        pytest.skip("`syndeid synthesize --incremental` is not there yet (issue 6, item 3)")
    result = subprocess.run([sys.executable, str(checkout / "jobs" / job), "--help"], cwd=checkout,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"usage: syndeid {command}" in result.stdout


def test_a_usage_error_stops_before_ray_is_touched(checkout):
    result = run_python(f"""
        import sys
        sys.path.insert(0, {str(checkout / "jobs")!r})
        import _bootstrap
        try:
            _bootstrap.run(["synthesize"], ["--no-such-option"])
        except SystemExit as exit:
            print("exit", exit.code, "ray" in sys.modules)
    """, cwd=checkout)
    assert result.stdout.split() == ["exit", "2", "False"], result.stderr


@pytest.mark.ray
def test_ray_workers_import_the_shipped_checkout(checkout, ray_session):
    """A second driver on the session's Ray, run from the copy: its tasks import the copy's package, which they
    could only get through the runtime_env the job file adds."""
    address = ray_session.get_runtime_context().gcs_address
    result = run_python(f"""
        import sys
        sys.path.insert(0, {str(checkout / "jobs")!r})
        import _bootstrap
        assert _bootstrap.use_checkout()
        _bootstrap.connect_ray({address!r}, _bootstrap.worker_runtime_env())
        import ray

        @ray.remote(num_cpus=0.1)
        def shipped():
            import syndeid
            return hasattr(syndeid, {MARKER!r})

        print("workers import the copy:", ray.get(shipped.remote()))
    """, cwd=checkout)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "workers import the copy: True" in result.stdout
