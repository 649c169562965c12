"""Throughput harness: the masking stage, the fill stage (the paper's reference fill beside `one-shot` and
`iterative`), and the whole synthesis, side by side in one run on the same letters, model and mask plans.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/run.py [--quick] [--device cpu|cuda] [--model PATH]
        [--bert-base] [--bf16] [--letters N] [--corpus PATH] [--profile] [--memory]

Prints a table, then one JSON object (the last line), and writes the same JSON to
benchmarks/results/<timestamp>-<device>.json. See benchmarks/README.md for what each figure means.

- Letters: --corpus (any input syndeid reads), else MTSamples from ../shared/data (transcriptions
  deduplicated), else examples/letters.jsonl. The first N distinct good letters, in file order.
- Model: --model PATH, else --bert-base (a random BERT-base-sized model, for GPU speed runs), else the
  packaged default model, else a small random BERT built here with a WordPiece vocabulary trained on the
  letters. Random weights are fine for speed; ROUGE-L is only meaningful with a trained model.
- Masking is timed in CPU seconds of this process (one thread), so its figures are per core even on a
  busy machine. The fill and end-to-end figures are wall-clock seconds on the device.
- Mask plans are computed once and reused by every fill strategy and the reference.

Quotes no letter text: only counts, rates and settings are printed or written.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, replace  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import pyarrow as pa  # noqa: E402
import torch  # noqa: E402

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))

from reference import PAPER_CHUNK_TOKENS, ReferenceFill, ReferenceLetter  # noqa: E402

from syndeid.config import SynthesisConfig  # noqa: E402
from syndeid.filling.model import DEFAULT_MODEL_DIR  # noqa: E402
from syndeid.records import (  # noqa: E402
    ID, LETTER_SEED, MASK_SPANS, PHI_SPANS, ROW_ERROR, STATUS, STATUS_OK, SYNTHETIC_TEXT, TEXT, spans_from_arrow,
)

RESULTS = BENCHMARKS / "results"
MTSAMPLES = REPO.parent / "shared" / "data" / "mtsamples" / "mtsamples.csv"
EXAMPLES = REPO / "examples" / "letters.jsonl"
WORD = re.compile(r"[^\W_]+")  # DESIGN.md's token: a maximal run of letters or digits
STRATEGIES = ("reference", "one-shot", "iterative")
TARGETS = {"iterative_speedup": 100.0, "one_shot_speedup": 300.0, "rouge_l_gap": 0.02, "mask_words_per_s_per_core": 10_000.0}
BERT_BASE = dict(layers=12, hidden=768, heads=12, intermediate=3072, vocab=28_996, positions=512)
SMALL_BERT = dict(layers=4, hidden=256, heads=4, intermediate=1024, vocab=8_000, positions=512)
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


# ---- letters and model ------------------------------------------------------------------------------


def corpus_source(corpus: str | None) -> tuple[str, dict, str]:
    """(path, reader settings, corpus name)."""
    if corpus:
        return corpus, {}, Path(corpus).name
    if MTSAMPLES.exists():
        return str(MTSAMPLES), dict(id_column="note_id", text_column="transcription"), "MTSamples (deduplicated)"
    return str(EXAMPLES), {}, "examples/letters.jsonl"


def load_letters(path: str, reader_settings: dict, count: int) -> pa.Table:
    """The first `count` good letters with distinct texts, as a table the masking stage takes."""
    from syndeid.io.readers import iter_letter_tables

    config = SynthesisConfig(**reader_settings)
    ids, texts, seen = [], [], set()
    for table in iter_letter_tables(path, config):
        for letter_id, text, error in zip(*(table.column(c).to_pylist() for c in (ID, TEXT, ROW_ERROR))):
            if error is None and text not in seen:
                seen.add(text)
                ids.append(letter_id)
                texts.append(text)
            if len(ids) == count:
                break
        if len(ids) == count:
            break
    if not ids:
        raise SystemExit(f"no good letters in {path}")
    return pa.table({ID: ids, TEXT: texts, ROW_ERROR: pa.array([None] * len(ids), pa.string())})


def build_random_bert(texts: list[str], directory: Path, layers: int, hidden: int, heads: int, intermediate: int,
                      vocab: int, positions: int) -> Path:
    """A randomly initialised BertForMaskedLM with a cased WordPiece vocabulary trained on the letters and
    padded with [unusedN] entries to exactly `vocab` ids (the output head costs what the real one would)."""
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertForMaskedLM, BertTokenizerFast

    wordpiece = BertWordPieceTokenizer(lowercase=False)
    wordpiece.train_from_iterator(texts, vocab_size=vocab, special_tokens=SPECIAL_TOKENS, show_progress=False)
    tokens = [t for t, _ in sorted(wordpiece.get_vocab().items(), key=lambda item: item[1])][:vocab]
    tokens += [f"[unused{n}]" for n in range(vocab - len(tokens))]
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = BertTokenizerFast(vocab={token: i for i, token in enumerate(tokens)}, do_lower_case=False,
                                  model_max_length=positions)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                        intermediate_size=intermediate, max_position_embeddings=positions)
    BertForMaskedLM(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def choose_model(args, texts: list[str], scratch: Path) -> tuple[str, str]:
    """(model directory, how it was chosen)."""
    if args.model:
        return args.model, "given (--model)"
    if args.bert_base:
        return str(build_random_bert(texts, scratch / "bert-base", **BERT_BASE)), "random BERT-base-sized (--bert-base)"
    if (DEFAULT_MODEL_DIR / "config.json").exists():
        return str(DEFAULT_MODEL_DIR), "packaged default model"
    return str(build_random_bert(texts, scratch / "small-bert", **SMALL_BERT)), "random small BERT (no default model yet)"


# ---- hardware and model facts ------------------------------------------------------------------------


def hardware(device: str) -> dict:
    cpu_model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    facts = {"cpu_model": cpu_model, "cpu_cores": os.cpu_count(), "torch_threads": torch.get_num_threads(),
             "device": device, "torch": torch.__version__, "python": platform.python_version()}
    if device == "cuda":
        facts["gpu"] = torch.cuda.get_device_name(0)
        facts["gpu_memory_gib"] = round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1)
    return facts


def model_facts(model, tokenizer, source: str, how: str) -> dict:
    config = model.config
    return {
        "source": source if how.startswith(("given", "packaged")) else "built in a temporary folder by this run",
        "chosen": how,
        "layers": config.num_hidden_layers,
        "hidden": config.hidden_size,
        "heads": config.num_attention_heads,
        "intermediate": getattr(config, "intermediate_size", None),
        "vocab": model.get_output_embeddings().weight.shape[0],
        "max_positions": getattr(config, "max_position_embeddings", None),
        "parameters": sum(p.numel() for p in model.parameters()),
        "dtype": str(next(model.parameters()).dtype).replace("torch.", ""),
        "attention": getattr(config, "_attn_implementation", None),
    }


def synchronize(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def matmul_tflops(device: str, dtype: torch.dtype) -> dict:
    """The device's measured dense matrix throughput: a large square matmul, timed after a warm-up; the best
    of three trials (on a shared CPU, other jobs only ever slow a trial down)."""
    n, repeats = (8192, 20) if device == "cuda" else (1024, 5)
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    for _ in range(3):
        a @ b
    best = float("inf")
    for _ in range(3):
        synchronize(device)
        started = time.perf_counter()
        for _ in range(repeats):
            a @ b
        synchronize(device)
        best = min(best, time.perf_counter() - started)
    return {"n": n, "dtype": str(dtype).replace("torch.", ""), "tflops": round(2 * n**3 * repeats / best / 1e12, 4)}


def encoder_flops(model, rows_tokens: int, mean_length: float) -> float:
    """Forward FLOPs of the encoder over `rows_tokens` tokens (rows x padded length) of mean length."""
    c = model.config
    h, i = c.hidden_size, c.intermediate_size
    per_token = 2 * (4 * h * h + 2 * h * i) + 2 * 2 * h * mean_length  # projections, FFN, scores and values
    return rows_tokens * c.num_hidden_layers * per_token


def head_flops(model, positions: int) -> float:
    c = model.config
    return positions * 2 * (c.hidden_size * c.hidden_size + c.hidden_size * c.vocab_size)


# ---- the stages ----------------------------------------------------------------------------------------


def batches(table: pa.Table, size: int):
    return [table.slice(i, size) for i in range(0, table.num_rows, size)]


def bench_masking(stage, table: pa.Table, letters_per_batch: int) -> tuple[pa.Table, dict]:
    started_cpu, started = time.process_time(), time.perf_counter()
    masked = pa.concat_tables([stage(batch) for batch in batches(table, letters_per_batch)])
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    words = sum(len(WORD.findall(t)) for t in table.column(TEXT).to_pylist())
    masks = sum(len(m) for m in masked.column(MASK_SPANS).to_pylist())
    return masked, {
        "letters": table.num_rows, "words": words, "masked_spans": masks, "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
        "letters_per_s_per_core": round(table.num_rows / cpu, 3), "words_per_s_per_core": round(words / cpu, 1),
    }


def fill_outputs(stage, masked: pa.Table, letters_per_batch: int) -> list[str]:
    out = [stage(batch) for batch in batches(masked, letters_per_batch)]
    return [t for batch in out for t in batch.column(SYNTHETIC_TEXT).to_pylist()]


def bench_fill(stage, strategy: str, masked: pa.Table, config: SynthesisConfig, device: str, letter_tokens: int) -> tuple[list[str], dict]:
    from syndeid.filling.strategies import strategy_named

    stage.engine.strategy = strategy_named(strategy, config.iterative_rounds)
    fill_outputs(stage, masked.slice(0, min(2, masked.num_rows)), config.letters_per_batch)  # warm-up
    before = replace(stage.engine.stats)
    synchronize(device)
    started, started_cpu = time.perf_counter(), time.process_time()
    texts = fill_outputs(stage, masked, config.letters_per_batch)
    synchronize(device)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    after = stage.engine.stats
    delta = {k: getattr(after, k) - getattr(before, k) for k in asdict(after)}
    passes = max(delta["forward_passes"], 1)
    mean_length = delta["computed_tokens"] / (passes * stage.engine.batch_size)
    flops = encoder_flops(stage.model, delta["computed_tokens"], mean_length)
    flops += head_flops(stage.model, delta["head_rows"] or delta["computed_tokens"])
    figures = {
        "letters": masked.num_rows, "seconds": round(seconds, 4), "cpu_s": round(cpu, 3),
        "letters_per_s": round(masked.num_rows / seconds, 3), "letter_tokens_per_s": round(letter_tokens / seconds, 1),
        "forward_passes": delta["forward_passes"], "passes_per_letter": round(delta["forward_passes"] / masked.num_rows, 3),
        "window_rows": delta["window_rows"], "padded_rows": delta["padded_rows"],
        "computed_tokens_per_s": round(delta["computed_tokens"] / seconds, 1),
        "token_use": round(delta["real_tokens"] / max(delta["computed_tokens"], 1), 4),
        "model_tflops": round(flops / seconds / 1e12, 6),
    }
    return texts, figures


def bench_batch_shape(stage, strategy: str, masked: pa.Table, config: SynthesisConfig, device: str, letter_tokens: int,
                      shape: tuple[int, int]) -> dict:
    """The fill stage's rate with another batch shape: (letters per stage call, window rows per forward pass)."""
    letters_per_batch, fill_batch_size = shape
    kept = stage.engine.batch_size
    stage.engine.batch_size = fill_batch_size
    try:
        _, figures = bench_fill(stage, strategy, masked, config.replace(letters_per_batch=letters_per_batch), device, letter_tokens)
    finally:
        stage.engine.batch_size = kept
    keep = ("letters_per_s", "letter_tokens_per_s", "computed_tokens_per_s", "passes_per_letter", "token_use", "model_tflops")
    return {"strategy": strategy, "letters_per_batch": letters_per_batch, "fill_batch_size": fill_batch_size,
            **{k: figures[k] for k in keep}}


def bench_reference(stage, masked: pa.Table, config: SynthesisConfig, device: str, letter_tokens: int) -> tuple[list[str], dict]:
    """The paper's fill on the letters of `masked` (letter_tokens: their length in model tokens)."""
    from syndeid.filling.sampling import SamplingSettings
    from syndeid.filling.windows import plan_slots

    reference = ReferenceFill(stage.model, stage.tokenizer, stage.engine.vocabulary,
                              SamplingSettings(config.top_k, config.top_p, config.temperature), PAPER_CHUNK_TOKENS)
    texts = masked.column(TEXT).to_pylist()
    letters = [
        ReferenceLetter(text, plan_slots(text, masks), phis, seed)
        for text, masks, phis, seed in zip(texts, spans_from_arrow(masked.column(MASK_SPANS)),
                                           spans_from_arrow(masked.column(PHI_SPANS)), masked.column(LETTER_SEED).to_pylist())
    ]
    if letters and letters[0].slots:  # warm-up: one model call
        reference.fill(ReferenceLetter(letters[0].text, letters[0].slots[:1], letters[0].phi_spans, 0))
    reference.stats = type(reference.stats)()
    synchronize(device)
    started, started_cpu = time.perf_counter(), time.process_time()
    outputs = [reference.fill(letter) for letter in letters]
    synchronize(device)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    stats = reference.stats
    passes = max(stats.forward_passes, 1)
    flops = encoder_flops(stage.model, stats.computed_tokens, stats.computed_tokens / passes)
    flops += head_flops(stage.model, stats.computed_tokens)  # BertForMaskedLM's head runs on every position
    return outputs, {
        "letters": len(letters), "seconds": round(seconds, 4), "cpu_s": round(cpu, 3),
        "letters_per_s": round(len(letters) / seconds, 4), "letter_tokens_per_s": round(letter_tokens / seconds, 1),
        "forward_passes": stats.forward_passes, "passes_per_letter": round(stats.forward_passes / max(len(letters), 1), 3),
        "chunk_tokens": reference.limit, "computed_tokens_per_s": round(stats.computed_tokens / seconds, 1),
        "model_tflops": round(flops / seconds / 1e12, 6),
    }


class _FreeEncoder(torch.nn.Module):
    """Stands in for the encoder: returns fixed hidden states at no cost."""

    def __init__(self, hidden: int, device):
        super().__init__()
        self.hidden, self.device = hidden, device

    def forward(self, input_ids, attention_mask):
        from types import SimpleNamespace

        return SimpleNamespace(last_hidden_state=torch.zeros(*input_ids.shape, self.hidden, device=self.device))


class _FreeHead(torch.nn.Module):
    """Stands in for the output head: returns fixed random scores (no ties) at no cost."""

    def __init__(self, rows: int, vocab: int, device):
        super().__init__()
        self.scores = torch.randn(rows, vocab, generator=torch.Generator().manual_seed(0)).to(device)

    def forward(self, hidden):
        return self.scores[: hidden.shape[0]]


def bench_host_ceiling(stage, strategy: str, masked: pa.Table, config: SynthesisConfig) -> dict | None:
    """The fill stage with the model's arithmetic removed (encoder and head replaced by free stand-ins):
    what is left is host work (tokenizing, batching, sampling, rendering, the leak check), the ceiling
    of one fill actor's letters/s however fast its device is. Timed in CPU seconds."""
    from syndeid.filling.engine import HEAD_ROWS
    from syndeid.filling.strategies import strategy_named

    if stage.engine.split is None:
        return None
    real = stage.engine.split
    hidden, vocab = stage.model.config.hidden_size, stage.model.get_output_embeddings().weight.shape[0]
    stage.engine.split = (_FreeEncoder(hidden, stage.engine.device), _FreeHead(HEAD_ROWS, vocab, stage.engine.device))
    stage.engine.strategy = strategy_named(strategy, config.iterative_rounds)
    try:
        started = time.process_time()
        fill_outputs(stage, masked, config.letters_per_batch)
        cpu = time.process_time() - started
    finally:
        stage.engine.split = real
    return {"cpu_s": round(cpu, 3), "host_ms_per_letter": round(1000 * cpu / masked.num_rows, 2),
            "letters_per_s_ceiling": round(masked.num_rows / cpu, 1)}


def rouge_l(originals: list[str], synthetic: list[str]) -> float:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    scores = [scorer.score(o, s)["rougeL"].fmeasure for o, s in zip(originals, synthetic) if s is not None]
    return round(sum(scores) / max(len(scores), 1), 4)


def bench_end_to_end(mask_stage, fill_stage, table: pa.Table, config: SynthesisConfig, device: str, letter_tokens: int) -> dict:
    """Mask + fill + check in this process, batch by batch, with the stages already set up."""
    from syndeid.filling.model import model_name
    from syndeid.filling.strategies import strategy_named
    from syndeid.privacy.check import CheckStage
    from syndeid.stage import run_stages

    fill_stage.engine.strategy = strategy_named(config.strategy, config.iterative_rounds)
    stages = [mask_stage, fill_stage, CheckStage(config, model_name(config.model))]
    synchronize(device)
    started, started_cpu = time.perf_counter(), time.process_time()
    out = pa.concat_tables([run_stages(batch, stages) for batch in batches(table, config.letters_per_batch)])
    synchronize(device)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    ok = sum(status == STATUS_OK for status in out.column(STATUS).to_pylist())
    return {"strategy": config.strategy, "letters": table.num_rows, "ok": ok, "seconds": round(seconds, 3),
            "cpu_s": round(cpu, 3), "letters_per_s": round(table.num_rows / seconds, 3),
            "letter_tokens_per_s": round(letter_tokens / seconds, 1)}


def profile_fill(stage, masked: pa.Table, config: SynthesisConfig, strategy: str, top: int = 15) -> dict:
    """Where the fill stage's time goes (cProfile, own time per function); names only, never data.
    `torch_ops_share`: the share spent inside torch's C++ operators (the model's arithmetic on CPU); the
    rest is host work (Python, tokenizing, sampling, batching) that a GPU would not shorten."""
    from syndeid.filling.strategies import strategy_named

    stage.engine.strategy = strategy_named(strategy, config.iterative_rounds)
    profiler = cProfile.Profile()
    profiler.enable()
    fill_outputs(stage, masked, config.letters_per_batch)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)
    torch_ops = sum(values[2] for (file, _, name), values in rows if file == "~" and "torch" in name)
    return {
        "strategy": strategy, "total_s": round(total, 3), "torch_ops_share": round(torch_ops / total, 4),
        "top": [
            {"function": f"{Path(file).name}:{line}:{name}", "own_s": round(values[2], 4),
             "share": round(values[2] / total, 4), "cumulative_s": round(values[3], 4), "calls": values[1]}
            for (file, line, name), values in rows[:top]
        ],
    }


# ---- memory: synthesize on Ray, 1x and 10x the letters ---------------------------------------------------

_SYNTHESIZE = """
import json, sys
from syndeid.config import SynthesisConfig
from syndeid.pipeline import synthesize
summary = synthesize(sys.argv[1], sys.argv[2], SynthesisConfig(**json.loads(sys.argv[3])))
print(json.dumps({k: summary.get(k) for k in ("rows_in", "rows_ok", "rows_error", "seconds", "letters_per_s")}))
"""


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        tree.append(pid)
        frontier.extend(children.get(pid, []))
    return tree


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_with_peak_rss(command: list[str], interval: float = 0.2) -> dict:
    """Run a command; sample the summed RSS of it and every descendant (Ray's GCS, raylet, workers)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = {"total": 0, "driver": 0, "processes": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            tree = process_tree(process.pid)
            sizes = [rss_bytes(pid) for pid in tree]
            peak["total"] = max(peak["total"], sum(sizes))
            peak["driver"] = max(peak["driver"], rss_bytes(process.pid))
            peak["processes"] = max(peak["processes"], len(tree))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    sampler.start()
    stdout, _ = process.communicate()
    done.set()
    sampler.join()
    lines = stdout.strip().splitlines()
    return {"returncode": process.returncode, "seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mib": round(peak["total"] / 2**20, 1), "peak_driver_rss_mib": round(peak["driver"] / 2**20, 1),
            "max_processes": peak["processes"], "summary": json.loads(lines[-1]) if process.returncode == 0 and lines else None}


def run_synthesize(table: pa.Table, config: SynthesisConfig, letters: int, scratch: Path, name: str) -> dict:
    """`synthesize` on local Ray in a fresh process, on `letters` letters cycled from the table (ids made
    unique); its summary, wall seconds and the peak RSS of all its processes."""
    ids, texts = table.column(ID).to_pylist(), table.column(TEXT).to_pylist()
    path = scratch / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(letters):
            k = n % len(ids)
            handle.write(json.dumps({"id": f"{ids[k]}-r{n}", "text": texts[k]}) + "\n")
    settings = asdict(config)
    command = [sys.executable, "-c", _SYNTHESIZE, str(path), str(scratch / f"{name}-out"), json.dumps(settings)]
    return {"letters": letters, "mask_actors": config.mask_actors, "fill_actors": config.fill_actors,
            "fill_actors_per_gpu": config.fill_actors_per_gpu, **run_with_peak_rss(command)}


def bench_memory(table: pa.Table, config: SynthesisConfig, base_letters: int, scratch: Path) -> dict:
    """Peak RSS of `synthesize` (local Ray, all its processes) on N and 10N letters."""
    config = config.replace(device="cpu", mask_actors=1, fill_actors=1)
    runs = {f"{factor}x": run_synthesize(table, config, base_letters * factor, scratch, f"memory-{factor}x")
            for factor in (1, 10)}
    one, ten = runs["1x"]["peak_rss_mib"], runs["10x"]["peak_rss_mib"]
    runs["peak_ratio_10x_over_1x"] = round(ten / one, 3) if one else None
    return runs


# ---- report ---------------------------------------------------------------------------------------------


def print_table(result: dict) -> None:
    m = result["masking"]
    print(f"corpus: {result['corpus']['name']}  letters: {result['corpus']['letters']}  "
          f"mean tokens/letter: {result['corpus']['mean_letter_tokens']}  mean words/letter: {result['corpus']['mean_letter_words']}")
    model = result["model"]
    print(f"model: {model['chosen']}  layers {model['layers']}  hidden {model['hidden']}  vocab {model['vocab']}  "
          f"params {model['parameters']:,}  {model['dtype']}  on {result['hardware']['device']}")
    print(f"masking: {m['words_per_s_per_core']:,.0f} words/s/core  {m['letters_per_s_per_core']:.2f} letters/s/core")
    print(f"(reference on the first {result['reference_letters']} letters; ROUGE-L on those letters for all three)")
    print(f"{'strategy':<11}{'letters/s':>12}{'speedup':>10}{'passes/letter':>15}{'tokens/s':>12}{'ROUGE-L':>9}{'TFLOP/s':>10}")
    for name in STRATEGIES:
        f = result["fill"][name]
        print(f"{name:<11}{f['letters_per_s']:>12.3f}{result['speedup'][name]:>10.1f}{f['passes_per_letter']:>15.2f}"
              f"{f['letter_tokens_per_s']:>12.0f}{result['rouge_l'][name]:>9.4f}{f['model_tflops']:>10.4f}")
    for name, ceiling in result["fill_host_ceiling"].items():
        if ceiling:
            print(f"{name} host work alone (model arithmetic removed): {ceiling['host_ms_per_letter']} ms/letter, "
                  f"ceiling {ceiling['letters_per_s_ceiling']} letters/s per fill actor")
    for row in result.get("fill_sweep", []):
        print(f"  {row['strategy']:<10} {row['letters_per_batch']:>4} letters x {row['fill_batch_size']:>4} rows/pass: "
              f"{row['letters_per_s']:>9.1f} letters/s  {row['computed_tokens_per_s']:>11.0f} tokens/s  "
              f"{row['model_tflops']:.2f} TFLOP/s ({row['matmul_fraction']:.3f} of matmul)")
    e = result["end_to_end"]
    print(f"end to end ({e['strategy']}, in process): {e['letters_per_s']:.3f} letters/s, {e['ok']}/{e['letters']} ok")
    print(f"device matmul: {result['matmul']['tflops']} TFLOP/s ({result['matmul']['dtype']}); "
          f"fill reaches {result['matmul_fraction']}")
    print(f"masking cores per fill device: {result['mask_cores_per_device']}")
    if "ray_end_to_end" in result:
        ray_run = result["ray_end_to_end"]
        print(f"end to end on Ray (mask actors: {ray_run['mask_actors']}): {ray_run['letters']} letters, "
              f"{(ray_run['summary'] or {}).get('letters_per_s')} letters/s, peak RSS {ray_run['peak_rss_mib']} MiB")
    if "memory" in result:
        mem = result["memory"]
        print(f"memory: peak RSS {mem['1x']['peak_rss_mib']} MiB ({mem['1x']['letters']} letters) vs "
              f"{mem['10x']['peak_rss_mib']} MiB ({mem['10x']['letters']}): ratio {mem['peak_ratio_10x_over_1x']}")


def batch_shapes(text: str) -> list[tuple[int, int]]:
    try:
        shapes = [tuple(int(n) for n in item.lower().split("x")) for item in text.split(",") if item.strip()]
    except ValueError:
        shapes = []
    if not shapes or any(len(shape) != 2 or min(shape) < 1 for shape in shapes):
        raise argparse.ArgumentTypeError(f"expected shapes like 64x64,256x128, got {text!r}")
    return shapes


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few letters, for a smoke run (default 8 letters)")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--model", help="a local model directory (or anything load_mlm opens)")
    parser.add_argument("--bert-base", action="store_true", help="a random BERT-base-sized model (12x768, vocab 28,996)")
    parser.add_argument("--bf16", action="store_true", help="bfloat16 weights on CPU too (CUDA always runs bf16)")
    parser.add_argument("--letters", type=int, help="letters to run (default 64, --quick 8)")
    parser.add_argument("--corpus", help="any input syndeid reads (default: MTSamples if present, else the examples)")
    parser.add_argument("--strategy", default="iterative", choices=("one-shot", "iterative"), help="end-to-end strategy")
    parser.add_argument("--letters-per-batch", type=int, default=SynthesisConfig.letters_per_batch)
    parser.add_argument("--fill-batch-size", type=int, default=SynthesisConfig.fill_batch_size)
    parser.add_argument("--reference-letters", type=int,
                        help="run the paper's fill on the first N letters only (default: all); rates are per letter")
    parser.add_argument("--fill-sweep", type=batch_shapes, default=[], metavar="LxB,...",
                        help="also time one-shot and iterative with each batch shape: L letters per stage call x B rows per pass")
    parser.add_argument("--threads", type=int, default=1, help="torch threads on CPU")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="cProfile the iterative fill (function names only)")
    parser.add_argument("--memory", action="store_true", help="peak RSS of synthesize on Ray, 1x and 10x letters")
    parser.add_argument("--memory-letters", type=int, default=50)
    parser.add_argument("--ray-letters", type=int, help="also run `synthesize` on Ray over this many letters")
    parser.add_argument("--mask-actors", type=int, default=max((os.cpu_count() or 2) - 2, 1),
                        help="masking actors of the Ray run (default: cores - 2)")
    parser.add_argument("--fill-actors", type=int, default=1, help="fill actors of the Ray run (default 1)")
    parser.add_argument("--fill-actors-per-gpu", type=int, default=1,
                        help="fill actors sharing each GPU in the Ray run (default 1; try --fill-actors 4 --fill-actors-per-gpu 4)")
    parser.add_argument("--results", default=str(RESULTS), help="folder for the JSON result")
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    from syndeid.filling.stage import FillStage
    from syndeid.masking.stage import MaskStage

    import transformers

    transformers.logging.set_verbosity_error()  # the tokenizer's "longer than the maximum" notice: we window
    args = parse_args(argv)
    count = args.letters or (8 if args.quick else 64)
    torch.set_num_threads(args.threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda but no CUDA device is available")
    path, reader_settings, corpus_name = corpus_source(args.corpus)
    table = load_letters(path, reader_settings, count)
    with tempfile.TemporaryDirectory(prefix="syndeid-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        # A random model's WordPiece vocabulary is trained on up to 2,000 letters of the corpus.
        vocab_texts = table if args.model else load_letters(path, reader_settings, max(count, 2000))
        model_dir, how = choose_model(args, vocab_texts.column(TEXT).to_pylist(), scratch)
        config = SynthesisConfig(seed=args.seed, model=model_dir, device=args.device, strategy=args.strategy,
                                 letters_per_batch=args.letters_per_batch, fill_batch_size=args.fill_batch_size)
        mask_stage = MaskStage(config)
        mask_stage.setup()
        masked, masking = bench_masking(mask_stage, table, config.letters_per_batch)
        fill_stage = FillStage(config)
        fill_stage.setup()
        if args.bf16:
            fill_stage.model.to(torch.bfloat16)
        originals = table.column(TEXT).to_pylist()

        token_counts = [len(ids) for ids in fill_stage.tokenizer(originals, add_special_tokens=False)["input_ids"]]
        letter_tokens = sum(token_counts)
        # The reference costs ~120 model calls per letter: on a GPU it may run on the first N letters only,
        # while the batched strategies need many letters to reach their steady rate. Rates are per letter,
        # and ROUGE-L is compared on the reference's letters.
        reference_count = min(args.reference_letters or table.num_rows, table.num_rows)

        outputs, fill = {}, {}
        outputs["reference"], fill["reference"] = bench_reference(
            fill_stage, masked.slice(0, reference_count), config, args.device, sum(token_counts[:reference_count]))
        for name in ("one-shot", "iterative"):
            outputs[name], fill[name] = bench_fill(fill_stage, name, masked, config, args.device, letter_tokens)
        sweep = [bench_batch_shape(fill_stage, name, masked, config, args.device, letter_tokens, shape)
                 for shape in args.fill_sweep for name in ("one-shot", "iterative")]
        host_ceiling = {name: bench_host_ceiling(fill_stage, name, masked, config) for name in ("one-shot", "iterative")}
        end_to_end = bench_end_to_end(mask_stage, fill_stage, table, config, args.device, letter_tokens)
        matmul = matmul_tflops(args.device, next(fill_stage.model.parameters()).dtype)
        reference_rate = fill["reference"]["letters_per_s"]
        best_fill = fill[args.strategy]["letters_per_s"]
        result = {
            "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "command": " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]),
            "hardware": hardware(args.device),
            "corpus": {"name": corpus_name, "letters": table.num_rows, "mean_letter_tokens": round(letter_tokens / table.num_rows, 1),
                       "mean_letter_words": round(masking["words"] / table.num_rows, 1),
                       "mean_masked_spans": round(masking["masked_spans"] / table.num_rows, 1)},
            "model": model_facts(fill_stage.model, fill_stage.tokenizer, model_dir, how),
            "settings": {"strategy_end_to_end": config.strategy, "top_k": config.top_k, "temperature": config.temperature,
                         "iterative_rounds": config.iterative_rounds, "window_tokens": fill_stage.engine.limit,
                         "reference_chunk_tokens": fill["reference"]["chunk_tokens"], "mask_ratios": config.mask_ratios,
                         "letters_per_batch": config.letters_per_batch, "fill_batch_size": config.fill_batch_size,
                         "seed": config.seed, "bf16": args.bf16 or args.device == "cuda", "threads": args.threads},
            "masking": masking,
            "fill": fill,
            "letters_per_s": {name: fill[name]["letters_per_s"] for name in STRATEGIES},
            "speedup": {name: round(fill[name]["letters_per_s"] / reference_rate, 2) for name in STRATEGIES},
            # The same ratio in CPU seconds of this process: steadier than wall time on a shared machine.
            "speedup_cpu_time": {name: round(fill[name]["letters"] / max(fill[name]["cpu_s"], 1e-9)
                                       / (fill["reference"]["letters"] / max(fill["reference"]["cpu_s"], 1e-9)), 2)
                                 for name in STRATEGIES},
            "reference_letters": reference_count,
            "rouge_l": {name: rouge_l(originals[:reference_count], outputs[name][:reference_count]) for name in STRATEGIES},
            "fill_host_ceiling": host_ceiling,
            "end_to_end": end_to_end,
            "matmul": matmul,
            "matmul_fraction": {name: round(fill[name]["model_tflops"] / matmul["tflops"], 4) for name in STRATEGIES},
            "fill_sweep": [dict(row, matmul_fraction=round(row["model_tflops"] / matmul["tflops"], 4)) for row in sweep],
            # Masking cores that keep one fill device busy: fill letters/s per device / masking letters/s per core.
            "mask_cores_per_device": round(best_fill / masking["letters_per_s_per_core"], 2),
        }
        result["rouge_l_gap_to_reference"] = {
            name: round(result["rouge_l"][name] - result["rouge_l"]["reference"], 4) for name in ("one-shot", "iterative")
        }
        result["targets"] = {
            "iterative_speedup": [result["speedup"]["iterative"], TARGETS["iterative_speedup"]],
            "one_shot_speedup": [result["speedup"]["one-shot"], TARGETS["one_shot_speedup"]],
            "rouge_l_gap_max": [max(abs(v) for v in result["rouge_l_gap_to_reference"].values()), TARGETS["rouge_l_gap"]],
            "mask_words_per_s_per_core": [masking["words_per_s_per_core"], TARGETS["mask_words_per_s_per_core"]],
        }
        if args.profile:
            result["profile_iterative"] = profile_fill(fill_stage, masked, config, "iterative")
        if args.ray_letters:
            ray_config = config.replace(mask_actors=args.mask_actors, fill_actors=args.fill_actors,
                                        fill_actors_per_gpu=args.fill_actors_per_gpu)
            result["ray_end_to_end"] = run_synthesize(table, ray_config, args.ray_letters, scratch, "ray")
        if args.memory:
            memory_config = config.replace(letters_per_batch=16)
            result["memory"] = bench_memory(table, memory_config, args.memory_letters, scratch)
    print_table(result)
    Path(args.results).mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (Path(args.results) / f"{stamp}-{args.device}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
