"""`syndeid evaluate --original INPUT --synthetic OUTPUT_DIR --report DIR`: judge a synthetic corpus."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from syndeid.config import SynthesisConfig


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="privacy, fidelity, diversity, readability and utility of a synthetic corpus",
        description="Join the original letters with a synthesis output on id and write DIR/report.json, "
        "DIR/report.html (self-contained, plots embedded) and DIR/letters.parquet (per-letter metrics). "
        "No letter text is written unless --examples asks for side-by-side samples.",
    )
    parser.add_argument("--original", required=True, metavar="INPUT", help="the letters given to synthesize")
    parser.add_argument("--synthetic", required=True, metavar="OUTPUT_DIR", help="the output directory of synthesize")
    parser.add_argument("--report", required=True, metavar="DIR", help="where to write the report")
    parser.add_argument("--gold-phi", metavar="GOLD",
                        help="gold PHI annotations (JSON lines {\"id\", \"spans\": [[start, end, label], ...]}) for "
                        "re-identification risk and PHI recall/precision")
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="add N side-by-side examples to the HTML: this puts ORIGINAL TEXT in the report")
    parser.add_argument("--bertscore-model", metavar="PATH",
                        help="local encoder for BERTScore (default: the model syndeid ships)")
    parser.add_argument("--no-utility", action="store_true", help="skip the downstream NER comparison")
    parser.add_argument("--utility-letters", type=int, default=120, metavar="N",
                        help="letters (by id order) the downstream NER comparison trains and tests on (default 120)")
    parser.add_argument("--config", metavar="FILE", help="the synthesis settings file, to read INPUT the same way")
    parser.add_argument("--input-format", choices=("auto", "jsonl", "parquet", "csv", "txt"))
    parser.add_argument("--id-column", help="name of the id column or JSON key (default id)")
    parser.add_argument("--text-column", help="name of the text column or JSON key (default text)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="cpu", help="device for BERTScore (default cpu)")
    parser.set_defaults(func=run)


class RichProgress:
    """Stage names and a bar over letters (the evaluation's Progress protocol); never letter text."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.task = None

    def stage(self, description: str) -> None:
        self.progress.console.log(description)

    def start_letters(self, total: int) -> None:
        self.task = self.progress.add_task("scoring letters", total=total)

    def letter_done(self) -> None:
        self.progress.advance(self.task)


def run(args: argparse.Namespace) -> int:
    from syndeid.evaluation.run import EvaluateRequest, evaluate

    config = SynthesisConfig.load(
        args.config, input_format=args.input_format, id_column=args.id_column, text_column=args.text_column
    )
    request = EvaluateRequest(
        original=args.original, synthetic=args.synthetic, report_dir=args.report, gold_phi=args.gold_phi,
        examples=args.examples, bertscore_model=args.bertscore_model, utility=not args.no_utility,
        utility_letters=args.utility_letters, device=args.device,
    )
    quiet_model_loading()
    console = Console(stderr=True, log_path=False)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        report = evaluate(request, config, RichProgress(progress))
    _print_summary(report)
    return 0


def quiet_model_loading() -> None:
    """transformers draws a progress bar per model load; with a display of our own (and, in a sweep, one load
    per run) they only clutter the terminal."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()


def _print_summary(report: dict) -> None:
    def fmt(value) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    privacy, fidelity, diversity, utility = report["privacy"], report["fidelity"], report["diversity"], report["utility"]
    lines = [
        f"letters evaluated: {report['letters']['evaluated']} (leak-blocked: {privacy['leak_blocked']})",
        f"re-identification risk: {fmt(privacy.get('reidentification_risk'))}",
        f"ROUGE-1/2/L: {fmt(fidelity['rouge1'])} / {fmt(fidelity['rouge2'])} / {fmt(fidelity['rougeL'])}; "
        f"BERTScore F1: {fmt(fidelity.get('bertscore_f1'))}; medical retention: {fmt(fidelity.get('medical_entity_retention'))}",
        f"diversity: 1-ROUGE-L {fmt(diversity['one_minus_rougeL'])}, distinct-1/2 {fmt(diversity['distinct_1'])} / "
        f"{fmt(diversity['distinct_2'])}, changed fills {fmt(diversity['changed_fill_share'])}",
    ]
    if "trained_on_synthetic" in utility:
        lines.append(f"NER F1 trained on synthetic / originals: {fmt(utility['trained_on_synthetic']['f1'])} / "
                     f"{fmt(utility['trained_on_original']['f1'])}")
    lines.append(f"report: {report['files']['report.html']}")
    print("\n".join(lines), file=sys.stdout)
