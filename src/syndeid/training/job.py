"""One training job end to end: letters in (any input `synthesize` reads), a held-out split by text
hash, PHI and medical spans, a model (fine-tuned from any checkpoint or trained from scratch),
checkpoints to any fsspec location, resumable, the final model written to any fsspec location.
With ``workers > 1`` the training itself runs data-parallel on Ray Train (``distributed.py``).
Used by `syndeid train-mlm` and `jobs/train_mlm.py`.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import fsspec
import torch

from syndeid.records import Span
from syndeid.training.corpus import dedup_key, is_held_out
from syndeid.training.train import (
    TRAINER_STATE, Letter, ModelShape, TrainResult, TrainSettings, count_parameters, encode_letters,
    model_max_tokens, new_model, save_model, train_mlm, train_wordpiece, without_phi,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainJob:
    output: str  # directory or fsspec URL for the final model
    base_model: str | None = None  # None: train from scratch with a new WordPiece vocabulary
    shape: ModelShape = field(default_factory=ModelShape)  # from scratch; its max_length also caps fine-tuning windows
    lowercase: bool = False  # from scratch only
    settings: TrainSettings = field(default_factory=TrainSettings)
    held_out_share: float = 0.1
    checkpoint_dir: str | None = None  # directory or fsspec URL; step-N/ folders
    resume: bool = False  # continue from the latest complete checkpoint in checkpoint_dir
    device: str = "auto"  # single process; Ray places the workers of a distributed run
    # Data-parallel training on Ray Train when > 1: each worker trains on its own shard of the windows,
    # settings.batch_size being the batch of all workers together (it must divide by workers).
    workers: int = 1
    cpus_per_worker: float = 1.0
    gpus_per_worker: float | None = None  # None: one each when the cluster has a GPU per worker (and device is not cpu)


def split_texts(texts: Sequence[str], share: float) -> tuple[list[str], list[str]]:
    """Unique texts (whitespace-insensitive), split by a hash of each text: (train, held out)."""
    unique: dict[str, str] = {}
    for text in texts:
        unique.setdefault(dedup_key(text), text)
    train = [t for key, t in unique.items() if not is_held_out(key, share)]
    held = [t for key, t in unique.items() if is_held_out(key, share)]
    return train, held


def find_spans(texts: Sequence[str], batch_size: int = 16) -> tuple[list[list[Span]], list[list[Span]]]:
    """(PHI spans, medical spans) per text from the masker's own PHI detector and medical recognizer,
    in one pass of the masker's spaCy pipeline."""
    from syndeid.masking.nlp import load_pipeline
    from syndeid.medical.recognizer import MedicalRecognizer
    from syndeid.phi.detector import PhiDetector

    nlp = load_pipeline()
    detector, recognizer = PhiDetector(), MedicalRecognizer()
    detector.setup()
    recognizer.setup(nlp)
    phi: list[list[Span]] = []
    medical: list[list[Span]] = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size)):
        phi.append(detector.detect(text, doc))
        medical.append(recognizer.find(text, doc))
    return phi, medical


def run_job(job: TrainJob, texts: Sequence[str]) -> dict:
    """Train and save; returns a summary (counts, parameters, result and, with several workers, what each
    did) that quotes no text."""
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    from syndeid.filling.model import local_model_dir, resolve_device

    if job.workers > 1:
        from syndeid.training.distributed import check_job

        check_job(job)  # before the span detection, which takes a while
    train_texts, held_texts = split_texts(texts, job.held_out_share)
    if not train_texts:
        raise ValueError("no training letters after the held-out split")
    log.info("%d unique letters: %d for training, %d held out", len(train_texts) + len(held_texts), len(train_texts), len(held_texts))
    phi, medical = find_spans(train_texts + held_texts)
    letters = [Letter(t, p, m) for t, p, m in zip(train_texts + held_texts, phi, medical)]

    with tempfile.TemporaryDirectory(prefix="syndeid-train-") as scratch:
        scratch = Path(scratch)
        resume_from = _download_latest(job.checkpoint_dir, scratch / "resume") if job.resume and job.checkpoint_dir else None
        if resume_from is not None:
            tokenizer = AutoTokenizer.from_pretrained(resume_from)
            model = AutoModelForMaskedLM.from_pretrained(resume_from, dtype=torch.float32)
        elif job.base_model is not None:
            source = local_model_dir(job.base_model)
            tokenizer = AutoTokenizer.from_pretrained(source)
            model = AutoModelForMaskedLM.from_pretrained(source, dtype=torch.float32)  # float32 to train, whatever the stored dtype
        else:
            vocabulary_texts = [without_phi(letter) for letter in letters[: len(train_texts)]]
            tokenizer = train_wordpiece(vocabulary_texts, job.shape.vocab_size, job.lowercase, job.shape.max_length)
            model = new_model(tokenizer, job.shape, seed=job.settings.seed)
        max_length = min(model_max_tokens(model, tokenizer), job.shape.max_length)
        train_windows = encode_letters(letters[: len(train_texts)], tokenizer, max_length)
        held_windows = encode_letters(letters[len(train_texts) :], tokenizer, max_length)
        final = scratch / "final"
        distributed = None
        if job.workers > 1:
            from syndeid.training.distributed import train_on_ray

            result, distributed = train_on_ray(job, model, tokenizer, train_windows, held_windows, resume_from, scratch, final)
        else:
            model.to(resolve_device(job.device))
            result: TrainResult = train_mlm(
                model, tokenizer, train_windows, held_windows, job.settings,
                checkpoint_dir=scratch / "checkpoints" if job.checkpoint_dir else None,
                resume_from=resume_from, on_checkpoint=checkpoint_uploader(job.checkpoint_dir),
            )
            save_model(model.to("cpu"), tokenizer, final)
        upload_dir(final, job.output)
    summary = {
        "letters": {"train": len(train_texts), "held_out": len(held_texts)},
        "windows": {"train": len(train_windows), "held_out": len(held_windows)},
        "parameters": count_parameters(model),
        "base_model": job.base_model,
        "settings": asdict(job.settings),
        "result": result.as_dict(),
    }
    if distributed is not None:
        summary["distributed"] = distributed
    return summary


def checkpoint_uploader(url: str | None) -> Callable[[Path], None] | None:
    """Copies a local ``step-N`` checkpoint to ``url/step-N`` (None without a checkpoint location)."""
    if not url:
        return None
    return lambda path: upload_dir(path, f"{url.rstrip('/')}/{path.name}")


def upload_dir(local: Path, url: str) -> None:
    """Copy a local directory to a directory or fsspec URL, the trainer state last so that a
    checkpoint counts as complete only once every other file is there."""
    fs, root = fsspec.core.url_to_fs(url)
    files = sorted((p for p in local.rglob("*") if p.is_file()), key=lambda p: p.name == TRAINER_STATE)
    for path in files:
        target = f"{root.rstrip('/')}/{path.relative_to(local).as_posix()}"
        fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        fs.put_file(str(path), target)


def _download_latest(url: str, local: Path) -> Path | None:
    """The latest complete checkpoint (``step-N`` with a trainer state) at ``url``, copied to ``local``."""
    fs, root = fsspec.core.url_to_fs(url)
    root = root.rstrip("/")
    if not fs.exists(root):
        return None
    steps = []
    for entry in fs.ls(root, detail=False):
        name = entry.rstrip("/").rsplit("/", 1)[-1]
        if name.startswith("step-") and name[5:].isdigit() and fs.exists(f"{entry.rstrip('/')}/{TRAINER_STATE}"):
            steps.append((int(name[5:]), entry.rstrip("/")))
    if not steps:
        return None
    step, remote = max(steps)
    target = local / f"step-{step}"
    for remote_file in fs.find(remote):
        destination = target / remote_file[len(remote) :].lstrip("/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        fs.get_file(remote_file, str(destination))
    log.info("resuming from the checkpoint at step %d", step)
    return target
