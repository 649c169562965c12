"""The KubeRay manifests of cluster/, checked strictly against the KubeRay CRD schemas, and kept consistent with
the pinned Ray, the package version, the image recipe and the job entry points.

Strict means as `kubectl apply --validate=strict` does: a field the schema does not name is an error. Every
object schema without `x-kubernetes-preserve-unknown-fields: true` is closed (additionalProperties: false);
the root `metadata` (an open object in every CRD, validated by the API server as ObjectMeta) gets an ObjectMeta
schema of its own. Not checked here: the CRDs' CEL rules (x-kubernetes-validations) and the uniqueness of
list-map keys, which only an API server evaluates.
"""

from __future__ import annotations

import copy
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SHARED_DATA

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency (pip install -e .[test])")

CRDS = SHARED_DATA / "kuberay-crds"
CLUSTER = REPO / "cluster"
MANIFESTS = ("raycluster.yaml", "rayjob.yaml", "raycronjob.yaml")
needs_crds = pytest.mark.skipif(not CRDS.exists(), reason="../shared/data/kuberay-crds not present (KubeRay CRD schemas)")

# ObjectMeta fields a manifest may set (the server fills in the rest); names are DNS-1123 subdomains.
OBJECT_META = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "maxLength": 253, "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},
        "namespace": {"type": "string"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def load_yaml(path: Path):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def closed(schema):
    """A copy of an OpenAPI schema in which every object without x-kubernetes-preserve-unknown-fields rejects
    fields it does not name."""
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: closed(value) if key != "properties" else {k: closed(v) for k, v in value.items()}
              for key, value in schema.items()}
    is_object = schema.get("type") == "object" or "properties" in schema
    if is_object and not schema.get("x-kubernetes-preserve-unknown-fields") and "additionalProperties" not in schema:
        result["additionalProperties"] = False
    return result


def strict_validators() -> dict[str, "jsonschema.protocols.Validator"]:
    """One validator per kind (RayCluster, RayJob, RayCronJob), for apiVersion ray.io/v1."""
    validators = {}
    for path in sorted(CRDS.glob("ray.io_*.yaml")):
        crd = load_yaml(path)
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if version["name"] != "v1" or not version.get("served"):
                continue
            schema = copy.deepcopy(version["schema"]["openAPIV3Schema"])
            schema["properties"]["metadata"] = OBJECT_META
            schema["properties"]["apiVersion"] = {"enum": [f"{group}/v1"]}
            schema["properties"]["kind"] = {"enum": [kind]}
            schema["required"] = sorted({*schema.get("required", ()), "apiVersion", "kind", "metadata", "spec"})
            schema = closed(schema)
            jsonschema.Draft4Validator.check_schema(schema)
            validators[kind] = jsonschema.Draft4Validator(schema)
    return validators


def violations(manifest: dict, validators) -> list[str]:
    validator = validators.get(manifest.get("kind"))
    if validator is None:
        return [f"no CRD schema for kind {manifest.get('kind')!r}"]
    return sorted(f"{'.'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
                  for error in validator.iter_errors(manifest))


@pytest.fixture(scope="module")
def validators():
    return strict_validators()


def manifest(name: str) -> dict:
    documents = list(yaml.safe_load_all((CLUSTER / name).read_text(encoding="utf-8")))
    assert len(documents) == 1, f"{name} must hold exactly one object"
    return documents[0]


def cluster_specs() -> dict[str, dict]:
    return {
        "raycluster.yaml": manifest("raycluster.yaml")["spec"],
        "rayjob.yaml": manifest("rayjob.yaml")["spec"]["rayClusterSpec"],
        "raycronjob.yaml": manifest("raycronjob.yaml")["spec"]["jobTemplate"]["rayClusterSpec"],
    }


def job_specs() -> dict[str, dict]:
    return {"rayjob.yaml": manifest("rayjob.yaml")["spec"], "raycronjob.yaml": manifest("raycronjob.yaml")["spec"]["jobTemplate"]}


def pins() -> dict[str, str]:
    lines = (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("==", 1) for line in lines if "==" in line and not line.startswith("#"))


# --- the schemas -----------------------------------------------------------------------------------------


@needs_crds
@pytest.mark.parametrize("name", MANIFESTS)
def test_manifest_is_valid_against_its_crd_strictly(name, validators):
    assert violations(manifest(name), validators) == []


@needs_crds
@pytest.mark.parametrize(
    ("where", "misspelt"),
    [
        (("spec", "workerGroupSpecs", 0), ("maxReplicas", "maxReplica")),
        (("spec", "headGroupSpec", "template", "spec", "containers", 0), ("imagePullPolicy", "imagePulPolicy")),
        (("spec",), ("enableInTreeAutoscaling", "enableIntreeAutoscaling")),
        (("metadata",), ("labels", "lables")),
    ],
)
def test_a_misspelt_field_is_rejected(where, misspelt, validators):
    broken = manifest("raycluster.yaml")
    parent = broken
    for key in where:
        parent = parent[key]
    right, wrong = misspelt
    parent[wrong] = parent.pop(right)
    found = violations(broken, validators)
    assert any(wrong in message and "Additional properties" in message for message in found), found


@needs_crds
def test_a_misspelt_field_in_the_cronjobs_embedded_cluster_is_rejected(validators):
    broken = manifest("raycronjob.yaml")
    group = broken["spec"]["jobTemplate"]["rayClusterSpec"]["workerGroupSpecs"][1]
    group["template"]["spec"]["toleration"] = group["template"]["spec"].pop("tolerations")
    assert any("toleration" in message for message in violations(broken, validators))


@needs_crds
def test_a_wrongly_typed_value_is_rejected(validators):
    broken = manifest("raycluster.yaml")
    broken["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] = 0  # must be the string "0"
    assert any("num-cpus" in message for message in violations(broken, validators))


@needs_crds
def test_another_kind_or_api_version_is_rejected(validators):
    wrong_version = manifest("rayjob.yaml") | {"apiVersion": "ray.io/v1alpha1"}
    assert violations(wrong_version, validators)
    assert violations(manifest("rayjob.yaml") | {"kind": "RayServe"}, validators)


# --- consistency with the rest of the repository -----------------------------------------------------------


def test_jobs_run_on_the_same_cluster_spec_as_the_raycluster():
    specs = cluster_specs()
    assert specs["rayjob.yaml"] == specs["raycluster.yaml"]
    assert specs["raycronjob.yaml"] == specs["raycluster.yaml"]


def test_cpu_group_masks_and_gpu_group_fills_within_autoscaling_bounds():
    spec = manifest("raycluster.yaml")["spec"]
    assert spec["enableInTreeAutoscaling"] is True
    assert spec["headGroupSpec"]["rayStartParams"]["num-cpus"] == "0", "the head runs the driver, not letters"
    groups = {group["groupName"]: group for group in spec["workerGroupSpecs"]}
    assert set(groups) == {"mask-cpu", "fill-gpu"}
    for group in groups.values():
        assert 1 <= group["minReplicas"] <= group.get("replicas", group["minReplicas"]) <= group["maxReplicas"]
        assert group["maxReplicas"] > group["minReplicas"], f"{group['groupName']} cannot scale"

    def gpus(group):
        limits = group["template"]["spec"]["containers"][0]["resources"]["limits"]
        return int(limits.get("nvidia.com/gpu", 0))

    assert gpus(groups["mask-cpu"]) == 0
    assert gpus(groups["fill-gpu"]) == 1


def test_images_and_ray_version_follow_the_pins():
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    ray_pin = pins()["ray"]
    for name, spec in cluster_specs().items():
        assert spec["rayVersion"] == ray_pin, name
        groups = [spec["headGroupSpec"], *spec["workerGroupSpecs"]]
        images = {c["image"] for g in groups for c in g["template"]["spec"]["containers"]}
        assert images == {f"syndeid:{version}"}, name
    base = re.search(r"^FROM\s+(\S+)", (CLUSTER / "Dockerfile").read_text(encoding="utf-8"), re.M).group(1)
    assert base.startswith(f"rayproject/ray:{ray_pin}-py311"), base
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert ">=3.11" in requires


@pytest.mark.parametrize(("name", "job", "command"), [
    ("rayjob.yaml", "synthesize.py", ["synthesize"]),
    ("raycronjob.yaml", "nightly.py", ["synthesize", "--incremental"]),
])
def test_every_entrypoint_is_a_valid_command_line_of_a_shipped_job(name, job, command):
    """The entrypoints run jobs/ files the image holds, with arguments the syndeid CLI accepts."""
    from syndeid.cli import build_parser

    dockerfile = (CLUSTER / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^COPY\s.*\bjobs\s+\./jobs\s*$", dockerfile, re.M) and "WORKDIR /app" in dockerfile
    python, job_file, *arguments = shlex.split(job_specs()[name]["entrypoint"])
    assert (python, job_file) == ("python", f"/app/jobs/{job}")
    assert (REPO / "jobs" / job).is_file()
    if "--incremental" in command and not _synthesize_has_incremental():
        pytest.skip("`syndeid synthesize --incremental` is not there yet (issue 6, item 3)")
    build_parser().parse_args([*command, *arguments])


def _synthesize_has_incremental() -> bool:
    from syndeid.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    return any("--incremental" in action.option_strings for action in subparsers.choices["synthesize"]._actions)


def test_runtime_env_is_one_ray_accepts_and_carries_no_secrets():
    from ray.runtime_env import RuntimeEnv

    env = yaml.safe_load((CLUSTER / "runtime_env.yaml").read_text(encoding="utf-8"))
    RuntimeEnv(**env)  # raises on an unknown field or a malformed value
    assert env["working_dir"] == "."
    assert {".venv/", ".git/"} <= set(env["excludes"])
    credential = re.compile(r"^AWS_|SECRET|PASSWORD|CREDENTIAL|(^|_)TOKEN($|_)|(^|_)KEY($|_)")
    assert not [name for name in env.get("env_vars", {}) if credential.search(name)]


def test_the_cluster_asks_for_ray_token_authentication():
    """The dashboard and job API of a cluster that handles clinical letters never answer anonymous requests."""
    for name, spec in cluster_specs().items():
        assert spec["authOptions"] == {"mode": "token"}, name


def test_the_working_dir_ships_the_jobs_and_the_package_but_not_the_environment(tmp_path):
    """What `ray job submit --runtime-env cluster/runtime_env.yaml` uploads from the repository root."""
    from zipfile import ZipFile

    from ray._private.runtime_env.packaging import create_package

    env = yaml.safe_load((CLUSTER / "runtime_env.yaml").read_text(encoding="utf-8"))
    package = tmp_path / "working_dir.zip"
    create_package(str(REPO), package, include_gitignore=True, excludes=env["excludes"])
    names = set(ZipFile(package).namelist())
    assert {"jobs/_bootstrap.py", *(f"jobs/{job}" for job in ("synthesize.py", "evaluate.py", "train_mlm.py", "nightly.py")),
            "src/syndeid/__init__.py", "src/syndeid/cli.py"} <= names
    assert not [n for n in names if n.startswith((".venv/", ".git/")) or "/__pycache__/" in n or n.startswith("__pycache__/")]
    assert package.stat().st_size < 100 * 2**20, "the working_dir upload is too large: exclude what jobs do not need"
