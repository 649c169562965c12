"""The one configuration object: defaults, a YAML/JSON file, command-line overrides, validation, hash."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

import yaml

STRATEGIES = ("one-shot", "iterative", "sequential")
INPUT_FORMATS = ("auto", "jsonl", "parquet", "csv", "txt")
PHI_FILLS = ("mlm", "surrogate")
POS_TAGS = ("NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM", "PRON", "ADP", "DET", "AUX", "CCONJ", "SCONJ", "PART", "INTJ")


class ConfigError(ValueError):
    """A configuration value a user must fix; the message says which and why."""


@dataclass(frozen=True)
class SynthesisConfig:
    # What is synthesized (these fields change the output and enter the hash).
    seed: int = 0
    mask_ratios: Mapping[str, float] = field(default_factory=lambda: {"NOUN": 0.7, "VERB": 0.7, "ADJ": 0.7})
    strategy: str = "iterative"
    model: str | None = None  # None: the default model shipped in the package
    top_k: int = 6
    top_p: float = 1.0
    temperature: float = 1.0
    iterative_rounds: int = 4
    window_tokens: int = 256  # capped by the model's maximum
    phi_fill: str = "mlm"
    max_letter_chars: int = 100_000
    # How input is read (changes which rows exist, so also hashed).
    input_format: str = "auto"
    id_column: str = "id"
    text_column: str = "text"
    # How it runs (never changes the output).
    mask_actors: int = 1
    fill_actors: int = 1
    fill_actors_per_gpu: int = 1  # several actors on one GPU overlap one's host work with another's forward passes
    letters_per_batch: int = 64
    fill_batch_size: int = 32  # windows per forward pass
    letters_per_file: int = 2000  # letters per output Parquet file, also the unit of resumption
    device: str = "auto"  # auto | cpu | cuda
    address: str | None = None
    keep_original: bool = False  # write original text and PHI spans: only inside a trusted zone

    RUNTIME_FIELDS = (
        "mask_actors", "fill_actors", "fill_actors_per_gpu", "letters_per_batch", "fill_batch_size", "letters_per_file",
        "device", "address",
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "mask_ratios", dict(self.mask_ratios))
        _check(self.strategy in STRATEGIES, f"strategy must be one of {', '.join(STRATEGIES)}")
        _check(self.input_format in INPUT_FORMATS, f"input_format must be one of {', '.join(INPUT_FORMATS)}")
        _check(self.phi_fill in PHI_FILLS, f"phi_fill must be one of {', '.join(PHI_FILLS)}")
        _check(self.device in ("auto", "cpu", "cuda"), "device must be auto, cpu or cuda")
        for pos, ratio in self.mask_ratios.items():
            _check(pos in POS_TAGS, f"mask ratio for unknown part of speech {pos!r}; known: {', '.join(POS_TAGS)}")
            _check(isinstance(ratio, (int, float)) and 0.0 <= ratio <= 1.0, f"mask ratio for {pos} must be in [0, 1]")
        _check(self.top_k >= 1, "top_k must be >= 1")
        _check(0.0 < self.top_p <= 1.0, "top_p must be in (0, 1]")
        _check(self.temperature > 0.0, "temperature must be > 0")
        _check(self.iterative_rounds >= 1, "iterative_rounds must be >= 1")
        _check(self.window_tokens >= 16, "window_tokens must be >= 16")
        _check(self.max_letter_chars >= 1, "max_letter_chars must be >= 1")
        for name in ("mask_actors", "fill_actors", "fill_actors_per_gpu", "letters_per_batch", "fill_batch_size", "letters_per_file"):
            _check(getattr(self, name) >= 1, f"{name} must be >= 1")

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> "SynthesisConfig":
        """Defaults, then the file (YAML or JSON), then overrides whose value is not None."""
        values: dict[str, Any] = {}
        if path is not None:
            try:
                loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise ConfigError(f"cannot read config file {path}: {type(exc).__name__}") from None
            _check(isinstance(loaded, dict), f"config file {path} must hold a mapping of settings")
            values.update(loaded)
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        _check(not unknown, f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        try:
            return cls(**values)
        except TypeError as exc:
            raise ConfigError(str(exc)) from None

    def replace(self, **changes: Any) -> "SynthesisConfig":
        return dataclasses.replace(self, **changes)

    def output_settings(self) -> dict[str, Any]:
        """The settings that decide the output: what the hash covers."""
        return {k: v for k, v in dataclasses.asdict(self).items() if k not in self.RUNTIME_FIELDS + ("keep_original",)}

    def config_hash(self, model_name: str) -> str:
        payload = json.dumps({**self.output_settings(), "model": model_name}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def parse_mask_ratio(item: str) -> tuple[str, float]:
    """``NOUN=0.5`` -> ("NOUN", 0.5), with a clear error otherwise."""
    pos, sep, value = item.partition("=")
    try:
        _check(bool(sep), "")
        return pos.strip().upper(), float(value)
    except (ConfigError, ValueError):
        raise ConfigError(f"--mask-ratio takes POS=RATIO, e.g. NOUN=0.5 (got {item!r})") from None


def letter_seed(run_seed: int, letter_id: str) -> int:
    """The per-letter seed: a function of the run seed and the letter id only, so results do not depend
    on how letters are split into blocks or actors."""
    digest = hashlib.sha256(f"{run_seed}\x1f{letter_id}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1  # fits int64


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(message)
