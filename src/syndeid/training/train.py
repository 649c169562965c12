"""Training a masked language model with the PHI-aware collator: a new WordPiece vocabulary, a small
BERT, and a plain seeded torch loop (AdamW, linear warm-up and decay, periodic held-out loss,
resumable checkpoints). Progress goes to the log as numbers only, never text.

The same loop runs as one replica of data-parallel training (``DataParallel``: torch.distributed set up by
the caller, e.g. Ray Train in ``distributed.py``): each replica trains on its own windows, DDP all-reduces
the gradients, and rank 0 alone evaluates, logs and writes checkpoints.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import torch
from tokenizers import BertWordPieceTokenizer
from transformers import BertConfig, BertForMaskedLM, BertTokenizerFast

from syndeid.config import ConfigError
from syndeid.records import Span
from syndeid.training.collator import IGNORE_INDEX, PhiAwareCollator, Window, encode_letter

log = logging.getLogger(__name__)

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
TRAINER_STATE = "trainer_state.pt"


@dataclass(frozen=True)
class ModelShape:
    vocab_size: int = 8000
    hidden_size: int = 256
    num_layers: int = 4
    num_heads: int = 4
    intermediate_size: int = 1024
    max_length: int = 128  # positions; the model is never asked for longer windows
    dropout: float = 0.1  # 0 suits a short, compute-bound run that sees each window only a few times


@dataclass(frozen=True)
class TrainSettings:
    max_steps: int = 1000
    batch_size: int = 32
    learning_rate: float = 6e-4
    warmup_share: float = 0.06
    weight_decay: float = 0.01
    mlm_probability: float = 0.15
    seed: int = 0
    eval_every: int = 200
    eval_windows: int = 256  # held-out windows scored at each evaluation
    checkpoint_every: int = 0  # 0: only the final state
    log_every: int = 50
    # A wall-clock budget: the learning rate then decays to zero by whichever of the step and time
    # budgets runs out first, and training stops there (runs under it are not step-for-step repeatable).
    max_seconds: float | None = None


@dataclass(frozen=True)
class Letter:
    """A training letter with its PHI and medical spans (``[start, end)`` into ``text``)."""

    text: str
    phi_spans: Sequence[Span] = ()
    medical_spans: Sequence[Span] = ()


@dataclass
class TrainResult:
    steps: int
    seconds: float
    train_windows: int
    heldout_windows: int
    train_tokens_seen: int
    final_train_loss: float
    heldout_losses: list[tuple[int, float]] = field(default_factory=list)
    stopped_early: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def train_wordpiece(texts: Iterable[str], vocab_size: int, lowercase: bool = False, max_length: int = 128) -> BertTokenizerFast:
    """A BERT WordPiece tokenizer trained on ``texts`` (cased unless ``lowercase``)."""
    trainer = BertWordPieceTokenizer(clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=lowercase)
    trainer.train_from_iterator(texts, vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIAL_TOKENS)
    return BertTokenizerFast(
        tokenizer_object=trainer._tokenizer,
        do_lower_case=lowercase,
        strip_accents=False,
        model_max_length=max_length,
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
    )


def without_phi(letter: Letter) -> str:
    """The letter with its PHI spans blanked out: what the vocabulary is learned from, so that no
    detected PHI string becomes a whole-word entry the model could write into a synthetic letter."""
    parts, end = [], 0
    for span in sorted(letter.phi_spans):
        if span.start >= end:
            parts.append(letter.text[end : span.start])
            end = span.end
        elif span.end > end:
            end = span.end
    parts.append(letter.text[end:])
    return " ".join(parts)


def new_model(tokenizer, shape: ModelShape, seed: int = 0) -> BertForMaskedLM:
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=shape.hidden_size,
        num_hidden_layers=shape.num_layers,
        num_attention_heads=shape.num_heads,
        intermediate_size=shape.intermediate_size,
        max_position_embeddings=shape.max_length,
        hidden_dropout_prob=shape.dropout,
        attention_probs_dropout_prob=shape.dropout,
        pad_token_id=tokenizer.pad_token_id,
    )
    return BertForMaskedLM(config)


def model_max_tokens(model, tokenizer) -> int:
    """Longest sequence (special tokens included) the model and tokenizer both accept."""
    limits = [getattr(model.config, "max_position_embeddings", None), getattr(tokenizer, "model_max_length", None)]
    return min(int(limit) for limit in limits if limit and limit < 1_000_000)


def encode_letters(letters: Iterable[Letter], tokenizer, max_length: int) -> list[Window]:
    """All letters as windows of at most ``max_length`` ids including [CLS] and [SEP]."""
    windows: list[Window] = []
    for letter in letters:
        windows.extend(encode_letter(letter.text, letter.phi_spans, letter.medical_spans, tokenizer, max_length - 2))
    return windows


def masked_lm_loss(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean cross-entropy over the target positions. For BERT the prediction head runs on the targets
    only (about 15% of positions), which is most of the head's cost saved."""
    device = next(model.parameters()).device
    batch = {key: value.to(device) for key, value in batch.items()}
    labels = batch["labels"]
    if isinstance(model, BertForMaskedLM):
        hidden = model.bert(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
        targets = labels != IGNORE_INDEX
        logits = model.cls(hidden[targets])
        return torch.nn.functional.cross_entropy(logits, labels[targets])
    return model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], labels=labels).loss


class MaskedLMLoss(torch.nn.Module):
    """``masked_lm_loss`` as a module's forward, so that DistributedDataParallel wraps the cheap loss (the
    prediction head on the targets only) and its backward pass all-reduces the gradients."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, labels) -> torch.Tensor:
        return masked_lm_loss(self.model, {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels})


class DataParallel:
    """This process's part in data-parallel training, torch.distributed being initialised already.
    ``loss_module`` is ``MaskedLMLoss(model)`` wrapped in DistributedDataParallel. Every replica runs the
    same steps with the same schedule; only rank 0 evaluates, logs and writes checkpoints."""

    def __init__(self, loss_module: torch.nn.Module, rank: int, world_size: int) -> None:
        self.loss_module, self.rank, self.world_size = loss_module, rank, world_size

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def loss(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        device = next(self.loss_module.parameters()).device
        return self.loss_module(**{key: value.to(device) for key, value in batch.items()})

    def latest(self, seconds: float) -> float:
        """The largest of the replicas' clocks: a time budget then ends every replica at the same step,
        with the same learning rate at every step."""
        import torch.distributed as dist

        value = torch.tensor([seconds], dtype=torch.float64, device=next(self.loss_module.parameters()).device)
        dist.all_reduce(value, op=dist.ReduceOp.MAX)
        return float(value.item())

    def gather(self, value) -> list:
        """Every replica's ``value`` (picklable), in rank order."""
        import torch.distributed as dist

        values: list = [None] * self.world_size
        dist.all_gather_object(values, value)
        return values


@torch.no_grad()
def heldout_loss(model, batches: Sequence[dict[str, torch.Tensor]]) -> float:
    model.eval()
    total = count = 0.0
    for batch in batches:
        n = int((batch["labels"] != IGNORE_INDEX).sum())
        if n:
            total += float(masked_lm_loss(model, batch)) * n
            count += n
    model.train()
    return total / count if count else float("nan")


def fixed_heldout_batches(windows: Sequence[Window], tokenizer, settings: TrainSettings) -> list[dict[str, torch.Tensor]]:
    """The held-out windows masked once with their own seed, so every evaluation scores the same targets."""
    collator = PhiAwareCollator(tokenizer, settings.mlm_probability, seed=settings.seed + 1)
    chosen = list(windows[: settings.eval_windows])
    return [collator(chosen[i : i + settings.batch_size]) for i in range(0, len(chosen), settings.batch_size)]


class _Batches:
    """Seeded epochs of shuffled windows; its position is part of the checkpoint so a resumed run
    continues with the very batches an uninterrupted run would have used."""

    def __init__(self, n_windows: int, batch_size: int, seed: int) -> None:
        self.n_windows, self.batch_size = n_windows, batch_size
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(n_windows)
        self.position = 0

    def next_indices(self) -> np.ndarray:
        if self.position + self.batch_size > self.n_windows:
            self.order = self.rng.permutation(self.n_windows)
            self.position = 0
        indices = self.order[self.position : self.position + self.batch_size]
        self.position += self.batch_size
        return indices

    def state(self) -> dict:
        return {"rng": self.rng.bit_generator.state, "order": self.order.tolist(), "position": self.position}

    def load(self, state: dict) -> None:
        self.rng.bit_generator.state = state["rng"]
        self.order = np.array(state["order"])
        self.position = state["position"]


def train_mlm(
    model,
    tokenizer,
    train_windows: Sequence[Window],
    heldout_windows: Sequence[Window],
    settings: TrainSettings,
    checkpoint_dir: str | Path | None = None,
    resume_from: str | Path | None = None,
    on_checkpoint: Callable[[Path], None] | None = None,
    peers: DataParallel | None = None,
) -> TrainResult:
    """Train in place. With ``checkpoint_dir``, the model, tokenizer and trainer state are saved every
    ``checkpoint_every`` steps and at the end under ``checkpoint_dir/step-N``; ``resume_from`` takes
    such a directory and continues exactly where it stopped.

    With ``peers``, this is one replica of data-parallel training: ``train_windows`` are this replica's
    own, ``settings.batch_size`` is its share of the batch, its batch order and masks have their own
    seed; the checkpoint (written by rank 0 only) holds every replica's position, so a resumed run with
    the same number of replicas continues exactly."""
    main = peers is None or peers.is_main
    if len(train_windows) < settings.batch_size:
        raise ValueError(f"{len(train_windows)} training windows is fewer than one batch of {settings.batch_size}")
    torch.manual_seed(settings.seed)
    model.train()
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "LayerNorm" not in n)]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": settings.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=settings.learning_rate,
    )
    result = TrainResult(0, 0.0, len(train_windows), len(heldout_windows), 0, float("nan"))
    warmup = max(1, math.ceil(settings.warmup_share * settings.max_steps))

    def progress() -> float:
        """Share of the budget spent: steps, or wall-clock time when that runs out first."""
        spent = result.steps / settings.max_steps
        if settings.max_seconds:
            spent = max(spent, result.seconds / settings.max_seconds)
        return min(spent, 1.0)

    def lr_factor(step: int) -> float:
        # Linear warm-up over the first steps, then linear decay to zero at the end of the budget.
        if step < warmup:
            return step / warmup
        return max(0.0, (1.0 - progress()) / (1.0 - min(warmup / settings.max_steps, 0.99)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    stream_seed = settings.seed if peers is None else [settings.seed, peers.rank]
    collator = PhiAwareCollator(tokenizer, settings.mlm_probability, seed=stream_seed)
    batches = _Batches(len(train_windows), settings.batch_size, stream_seed)
    heldout = fixed_heldout_batches(heldout_windows, tokenizer, settings) if main else []

    if resume_from is not None:
        state = torch.load(Path(resume_from) / TRAINER_STATE, weights_only=False)
        own = _replica_state(state, peers)
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        batches.load(own["batches"])
        collator.rng.bit_generator.state = own["collator_rng"]
        torch.set_rng_state(own["torch_rng"])
        for name, value in state["result"].items():  # in place: the schedule reads this object
            setattr(result, name, value)
        if main:
            log.info("resumed at step %d", result.steps)

    started = time.monotonic() - result.seconds
    running: list[float] = []
    step_tokens = 0
    window_started = time.monotonic()
    while progress() < 1.0:
        batch = collator([train_windows[i] for i in batches.next_indices()])
        loss = masked_lm_loss(model, batch) if peers is None else peers.loss(batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        result.steps += 1
        tokens = int(batch["attention_mask"].sum())
        result.train_tokens_seen += tokens
        step_tokens += tokens
        running.append(loss.item())
        result.seconds = time.monotonic() - started
        if peers is not None and settings.max_seconds:
            result.seconds = peers.latest(result.seconds)
        done = progress() >= 1.0
        if result.steps % settings.log_every == 0 or done:
            rate = step_tokens / max(time.monotonic() - window_started, 1e-9)
            result.final_train_loss = float(np.mean(running))
            if main:  # rank 0's own loss and token rate
                log.info(
                    "step %d/%d loss %.4f lr %.2e tokens/s %.0f elapsed %.0fs",
                    result.steps, settings.max_steps, result.final_train_loss, scheduler.get_last_lr()[0], rate, result.seconds,
                )
            running, step_tokens, window_started = [], 0, time.monotonic()
        if heldout and (result.steps % settings.eval_every == 0 or done):
            value = heldout_loss(model, heldout)
            result.heldout_losses.append((result.steps, value))
            log.info("step %d held-out loss %.4f", result.steps, value)
        if checkpoint_dir is not None and (
            done or (settings.checkpoint_every and result.steps % settings.checkpoint_every == 0)
        ):
            replicas = None if peers is None else peers.gather(_stream_state(batches, collator))
            if main:
                path = save_checkpoint(Path(checkpoint_dir), model, tokenizer, optimizer, scheduler, batches, collator, result, replicas)
                if on_checkpoint is not None:
                    on_checkpoint(path)
    if result.steps < settings.max_steps:
        result.stopped_early = True
        if main:
            log.info("wall-clock budget spent at step %d of %d", result.steps, settings.max_steps)
    return result


def _stream_state(batches: _Batches, collator: PhiAwareCollator) -> dict:
    """What differs between replicas: the batch order, the masks' and torch's random streams."""
    return {"batches": batches.state(), "collator_rng": collator.rng.bit_generator.state, "torch_rng": torch.get_rng_state()}


def _replica_state(state: dict, peers: DataParallel | None) -> dict:
    """This replica's streams in a trainer state (the top level of a single-process checkpoint)."""
    replicas = state.get("replicas")
    written_by = len(replicas) if replicas else 1
    resumed_by = 1 if peers is None else peers.world_size
    if written_by != resumed_by:
        raise ConfigError(f"the checkpoint was written by {written_by} worker(s); resume it with {written_by}, not {resumed_by}")
    return replicas[peers.rank] if replicas else state


def save_checkpoint(
    directory: Path, model, tokenizer, optimizer, scheduler, batches: _Batches, collator: PhiAwareCollator,
    result: TrainResult, replicas: list[dict] | None = None,
) -> Path:
    """``directory/step-N``: the model, the tokenizer and the trainer state; ``replicas`` holds every
    data-parallel replica's streams (``_stream_state``) in rank order."""
    path = directory / f"step-{result.steps}"
    save_model(model, tokenizer, path)
    state = {
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        **_stream_state(batches, collator),
        "result": result.as_dict(),
    }
    if replicas is not None:
        state["replicas"] = replicas
    torch.save(state, path / TRAINER_STATE)
    log.info("checkpoint saved at step %d", result.steps)
    return path


def latest_checkpoint(directory: str | Path) -> Path | None:
    candidates = [p for p in Path(directory).glob("step-*") if (p / TRAINER_STATE).exists()]
    return max(candidates, key=lambda p: int(p.name.split("-", 1)[1]), default=None)


def save_model(model, tokenizer, directory: str | Path) -> None:
    """Weights as safetensors plus the tokenizer files, loadable by AutoModelForMaskedLM/AutoTokenizer."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    for path in directory.iterdir():  # safetensors writes owner-only files; an installed package must be readable
        if path.is_file():
            path.chmod(0o644)


def count_parameters(model) -> int:
    """Distinct parameters (tied embeddings counted once)."""
    return sum(p.numel() for p in {id(p): p for p in model.parameters()}.values())
