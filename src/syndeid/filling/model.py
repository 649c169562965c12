"""Loading the masked language model and its tokenizer from a local directory, a hub id or an fsspec URL."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

import torch

import syndeid
from syndeid.config import ConfigError

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = Path(syndeid.__file__).parent / "models" / "default"
CACHE_ENV = "SYNDEID_CACHE_DIR"


class ModelLoadError(ConfigError):
    """The model or its tokenizer cannot be loaded; the message names the reference and the cause's type."""


def model_name(ref: str | None) -> str:
    """The name written with every output row and hashed into the config hash."""
    return f"syndeid-default-{syndeid.__version__}" if ref is None else str(ref)


def model_fingerprint(ref: str | None) -> str:
    """A short hash of a local model directory's files, so that the config hash changes when the weights do
    (retrained default, fine-tuned checkpoint saved again). Hub ids and URLs are identified by name alone."""
    directory = DEFAULT_MODEL_DIR if ref is None else Path(ref)
    if "://" in str(ref or "") or not directory.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.iterdir() if p.is_file() and p.suffix != ".md"):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:12]


def resolve_device(device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device cuda was asked for but no CUDA device is available")
    return device


def local_model_dir(ref: str | None) -> str:
    """A directory or hub id that `from_pretrained` can open: URLs are copied to a local cache first."""
    if ref is None:
        if not (DEFAULT_MODEL_DIR / "config.json").exists():
            raise ModelLoadError(f"the default model is missing from the package ({DEFAULT_MODEL_DIR}); pass --model")
        return str(DEFAULT_MODEL_DIR)
    if "://" in ref:
        return str(_cached_copy(ref))
    return ref


def load_mlm(ref: str | None, device: str = "auto"):
    """(model, tokenizer): the model in eval mode with SDPA attention, bf16 on CUDA and fp32 on CPU."""
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    device = resolve_device(device)
    source = local_model_dir(ref)
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    try:
        tokenizer = AutoTokenizer.from_pretrained(source)
        model = AutoModelForMaskedLM.from_pretrained(source, attn_implementation="sdpa", dtype=dtype)
    except Exception as exc:  # the loaders raise many types; the user needs the reference and the kind
        raise ModelLoadError(f"cannot load a masked language model from {model_name(ref)}: {type(exc).__name__}") from None
    if tokenizer.mask_token_id is None:
        raise ModelLoadError(f"the tokenizer of {model_name(ref)} has no mask token")
    model.to(device).eval()
    return model, tokenizer


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "syndeid") / "models"


def _cached_copy(url: str) -> Path:
    """Copy the model directory at an fsspec URL to a local cache keyed by the URL (once per machine)."""
    import fsspec

    target = cache_root() / hashlib.sha256(url.encode()).hexdigest()[:24]
    if (target / "config.json").exists():
        return target
    try:
        fs, root = fsspec.core.url_to_fs(url)
        root = root.rstrip("/")
        files = [f for f in fs.find(root) if not fs.isdir(f)]
        if not files:
            raise FileNotFoundError(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        for remote in files:
            local = staging / remote[len(root) :].lstrip("/")
            local.parent.mkdir(parents=True, exist_ok=True)
            fs.get_file(remote, str(local))
    except Exception as exc:
        raise ModelLoadError(f"cannot copy the model from {url}: {type(exc).__name__}") from None
    try:
        os.rename(staging, target)
    except OSError:  # another process on this machine finished the same copy first
        shutil.rmtree(staging, ignore_errors=True)
    log.info("model copied from %s to %s", url, target)
    return target
