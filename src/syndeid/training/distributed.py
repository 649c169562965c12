"""Data-parallel masked-LM training on a Ray cluster with Ray Train (``TorchTrainer``, DDP).

The driver (``train_on_ray``) sends every worker the starting model (or the checkpoint to resume) and the
encoded windows; each worker trains with ``train.train_mlm`` on its own shard of the training windows
(disjoint, by rank, from one seeded permutation) while DistributedDataParallel all-reduces the gradients.
Rank 0 evaluates the held-out loss, logs progress (numbers only), writes the ``step-N`` checkpoints to the
job's checkpoint location (any fsspec URL: on a multi-node cluster one that every node reaches, such as
``s3://``) and returns the final model's files to the driver, which writes them like a single-process run.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Sequence

import numpy as np

from syndeid.config import ConfigError
from syndeid.training.collator import Window
from syndeid.training.train import TrainResult, TrainSettings

log = logging.getLogger(__name__)


def shard_indices(n_windows: int, rank: int, world_size: int, seed: int) -> list[int]:
    """The training windows of worker ``rank``: every ``world_size``-th window of one seeded permutation,
    so the shards are disjoint, cover every window and differ in size by one at most."""
    return np.random.default_rng(seed).permutation(n_windows)[rank::world_size].tolist()


def gpus_per_worker(job) -> float:
    """The job's GPUs per worker; by default one each when the cluster has a GPU for every worker."""
    if job.gpus_per_worker is not None:
        return job.gpus_per_worker
    if job.device == "cpu":
        return 0.0
    import ray

    available = ray.cluster_resources().get("GPU", 0)
    if job.device == "cuda" and available < job.workers:
        raise ConfigError(f"device cuda for {job.workers} workers needs {job.workers} GPUs; the cluster has {available:g}")
    return 1.0 if available >= job.workers else 0.0


def check_job(job) -> None:
    if job.settings.batch_size % job.workers:
        raise ConfigError(f"the batch size ({job.settings.batch_size}) must divide by the number of workers ({job.workers})")
    if job.cpus_per_worker <= 0 or (job.gpus_per_worker is not None and job.gpus_per_worker < 0):
        raise ConfigError("cpus per worker must be > 0 and gpus per worker >= 0")


def train_on_ray(
    job, model, tokenizer, train_windows: Sequence[Window], held_windows: Sequence[Window],
    resume_from: Path | None, scratch: Path, final: Path,
) -> tuple[TrainResult, dict]:
    """Train ``job.workers`` replicas on Ray (joined or started by the caller; a local Ray is started when
    none is running); the trained model and tokenizer are written to ``final``. Returns rank 0's result
    (tokens summed over the workers) and what the workers did: world size, windows per worker, and whether
    every worker ended with the same weights (DDP keeps them in step)."""
    import ray
    from ray.train import RunConfig, ScalingConfig
    from ray.train.torch import TorchTrainer

    from syndeid.training.train import save_model

    if len(train_windows) < job.settings.batch_size:
        raise ValueError(f"{len(train_windows)} training windows is fewer than one batch of {job.settings.batch_size}")
    if not ray.is_initialized():
        from syndeid.pipeline import init_ray

        init_ray(None)
    gpus = gpus_per_worker(job)
    if resume_from is not None:
        start = resume_from  # model, tokenizer and trainer state
    else:
        start = scratch / "start"
        save_model(model.to("cpu"), tokenizer, start)
    config = {
        "start": _pack(start),
        "windows": (list(train_windows), list(held_windows)),
        "settings": job.settings,
        "checkpoint_dir": job.checkpoint_dir,
        "threads": max(1, int(job.cpus_per_worker)),
        "log_level": logging.getLogger("syndeid").getEffectiveLevel(),
    }
    resources = {"CPU": job.cpus_per_worker, **({"GPU": gpus} if gpus else {})}
    log.info("training on %d Ray Train workers (%g CPU, %g GPU each)", job.workers, job.cpus_per_worker, gpus)
    trainer = TorchTrainer(
        _train_worker,
        train_loop_config=config,
        scaling_config=ScalingConfig(num_workers=job.workers, use_gpu=gpus > 0, resources_per_worker=resources),
        # Nothing is checkpointed through Ray (rank 0 writes the job's own checkpoints), so the run's
        # storage only holds Ray's bookkeeping: the driver's scratch directory is enough.
        run_config=RunConfig(name=f"syndeid-train-mlm-{uuid.uuid4().hex[:8]}", storage_path=str(scratch / "ray-train")),
    )
    outcome = trainer.fit().return_value
    _unpack(outcome.pop("final"), final)
    return TrainResult(**outcome.pop("result")), outcome


def _train_worker(config: dict) -> dict | None:
    """One Ray Train worker: its shard, DDP, the shared loop; rank 0 returns the result and the model."""
    import ray.train
    import ray.train.torch
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    from syndeid.training.job import checkpoint_uploader
    from syndeid.training.train import TRAINER_STATE, DataParallel, MaskedLMLoss, save_model, train_mlm

    context = ray.train.get_context()
    rank, world_size = context.get_world_rank(), context.get_world_size()
    torch.set_num_threads(config["threads"])
    if rank == 0:
        _log_to_stderr(config["log_level"])
    settings: TrainSettings = config["settings"]
    train_windows, held_windows = config["windows"]
    shard = shard_indices(len(train_windows), rank, world_size, settings.seed)
    with tempfile.TemporaryDirectory(prefix="syndeid-train-worker-") as scratch:
        scratch = Path(scratch)
        start = _unpack(config["start"], scratch / "start")
        tokenizer = AutoTokenizer.from_pretrained(start)
        model = AutoModelForMaskedLM.from_pretrained(start, dtype=torch.float32)
        peers = DataParallel(ray.train.torch.prepare_model(MaskedLMLoss(model)), rank, world_size)
        result = train_mlm(
            model, tokenizer, [train_windows[i] for i in shard], held_windows,
            replace(settings, batch_size=settings.batch_size // world_size),
            checkpoint_dir=scratch / "checkpoints" if config["checkpoint_dir"] else None,
            resume_from=start if (start / TRAINER_STATE).exists() else None,
            on_checkpoint=checkpoint_uploader(config["checkpoint_dir"]) if rank == 0 else None,
            peers=peers,
        )
        shards = peers.gather(shard)
        tokens = peers.gather(result.train_tokens_seen)
        fingerprints = peers.gather(_fingerprint(model))
        if rank != 0:
            return None
        result.train_windows, result.train_tokens_seen = len(train_windows), sum(tokens)
        save_model(model.to("cpu"), tokenizer, scratch / "final")
        return {
            "result": result.as_dict(),
            "world_size": world_size,
            "windows_per_worker": [len(s) for s in shards],
            "windows_on_several_workers": sum(len(s) for s in shards) - len(set().union(*shards)),
            "same_weights_on_every_worker": len(set(fingerprints)) == 1,
            "final": _pack(scratch / "final"),
        }


def _fingerprint(model) -> str:
    """A hash of the weights: the replicas of a data-parallel run end with the very same weights."""
    import hashlib

    import torch

    digest = hashlib.sha256()
    for name, value in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(value.detach().cpu().reshape(-1).view(torch.uint8).numpy().tobytes())  # any dtype, bf16 too
    return digest.hexdigest()


def _log_to_stderr(level: int) -> None:
    """Rank 0's progress in the worker's log (which Ray forwards to the driver's console)."""
    logger = logging.getLogger("syndeid")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False  # the worker's root handler would print every line a second time


def _pack(directory: Path) -> dict[str, bytes]:
    """A directory's files (relative path -> bytes): how a model travels between the driver and workers
    that share no file system."""
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _unpack(files: dict[str, bytes], directory: Path) -> Path:
    for name, data in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return directory
