"""Lets a job file run from a plain checkout, on a cluster where syndeid is not pip-installed.

`ray job submit --working-dir . -- python jobs/synthesize.py ...` unpacks the checkout on the head node and
runs the job file there. Two things are then missing, and this module supplies both:

- the driver must import the package of the checkout it was submitted with: `src/` goes first on sys.path;
- every Ray worker, on every node, must import that same package: it goes to them as a `py_modules` entry of
  the job's runtime environment, which Ray uploads once and unpacks on each node before any task runs.

The package is not shipped when the workers would import this very directory anyway (an editable install of
this checkout, as in development and the tests), nor when the job's own runtime_env already names py_modules.
On the project's image (cluster/Dockerfile) the package is installed and the image holds no src/, so nothing
here changes anything.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import json
import os
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "syndeid"
_JOB_CONFIG_VARIABLE = "RAY_JOB_CONFIG_JSON_ENV_VAR"  # set by Ray's job manager for a submitted job's driver


def installed_package_dir() -> Path | None:
    """Where `import syndeid` finds the package before this module touches sys.path (None: nowhere), as a
    Ray worker of this machine would, its Python environment being the same."""
    spec = importlib.machinery.PathFinder.find_spec("syndeid", sys.path)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def use_checkout() -> bool:
    """Put the checkout's src/ first on sys.path. Returns whether Ray workers need the package shipped."""
    if not (PACKAGE / "__init__.py").is_file():
        return False
    installed = installed_package_dir()
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    return installed != PACKAGE.resolve()


def job_runtime_env() -> dict:
    """The runtime_env that `ray job submit` gave this driver ({} outside a submitted job)."""
    raw = os.environ.get(_JOB_CONFIG_VARIABLE)
    if not raw:
        return {}
    return json.loads(raw).get("runtime_env") or {}


def worker_runtime_env() -> dict:
    """The runtime_env to add for the workers: the checkout's package, unless the job already ships modules."""
    if "py_modules" in job_runtime_env():
        return {}
    return {"py_modules": [str(PACKAGE)]}


def requested_address(argv: list[str]) -> str | None:
    """The --address of a command line, if any (left in argv for the command itself)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--address")
    return parser.parse_known_args(argv)[0].address


def connect_ray(address: str | None, runtime_env: dict) -> None:
    """Join (or start, without an address) Ray with the workers' runtime_env; the command's own ray.init then
    finds Ray initialized and keeps it."""
    from syndeid.pipeline import init_ray

    init_ray(address, runtime_env)


def run(command: list[str], argv: list[str], uses_ray: bool = True) -> int:
    """Run `syndeid COMMAND... ARGV` from this checkout. A command that uses Ray gets it connected first, with
    the package shipped to the workers when they could not import it otherwise; one that does not (evaluate)
    only when it is pointed at a cluster (--address or RAY_ADDRESS). The command line is parsed before Ray is
    touched, so --help and usage errors never start a cluster."""
    ship = use_checkout()
    from syndeid.cli import build_parser, main

    build_parser().parse_args([*command, *argv])
    address = requested_address(argv)
    if ship and (uses_ray or address or os.environ.get("RAY_ADDRESS")):
        connect_ray(address, worker_runtime_env())
    return main([*command, *argv])
