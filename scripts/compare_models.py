"""Compare two fill models on the same letters: synthesize with each (same seed, strategy, masking), then
`syndeid evaluate` each output against the originals with one fixed BERTScore encoder, and print the
fidelity, diversity and utility figures side by side as JSON (also written to --output).

    .venv/bin/python scripts/compare_models.py --letters .train/mtsamples-heldout.jsonl --limit 120 \\
        --model old=PATH_A --model new=PATH_B --work /tmp/compare --output .train/minilm/model_comparison.json

The masking plan depends only on the letter, the seed and the masker, so both models fill the very same
slots; the differences are the models' alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

FIGURES = {
    "rouge1": ("fidelity", "rouge1"), "rougeL": ("fidelity", "rougeL"), "bertscore_f1": ("fidelity", "bertscore_f1"),
    "medical_entity_retention": ("fidelity", "medical_entity_retention"),
    "one_minus_rougeL": ("diversity", "one_minus_rougeL"), "distinct_2": ("diversity", "distinct_2"),
    "utility_f1_on_original": ("utility", "trained_on_original", "f1"),
    "utility_f1_on_synthetic": ("utility", "trained_on_synthetic", "f1"), "utility_f1_gap": ("utility", "f1_gap"),
    "leak_blocked": ("letters", "leak_blocked"), "ok": ("letters", "ok"),
}


def pick(report: dict, path: tuple[str, ...]):
    for key in path:
        report = report.get(key, {}) if isinstance(report, dict) else {}
    return report if not isinstance(report, dict) else None


def syndeid(*args: str) -> None:
    command = [str(Path(sys.executable).with_name("syndeid")), *args]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", required=True, help="JSON lines {id, text}")
    parser.add_argument("--limit", type=int, default=120, help="the first N letters (default 120)")
    parser.add_argument("--model", action="append", required=True, metavar="NAME=PATH", help="a model to compare (repeat)")
    parser.add_argument("--bertscore-model", help="one encoder for BERTScore in every evaluation (default: the first --model)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--strategy", default="iterative", help="fill strategy (default iterative, as synthesize)")
    parser.add_argument("--work", required=True, help="scratch directory for inputs, outputs and reports")
    parser.add_argument("--output", help="also write the JSON here")
    args = parser.parse_args(argv)

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    letters = work / "letters.jsonl"
    written = 0
    with open(args.letters, encoding="utf-8") as source, letters.open("w", encoding="utf-8") as target:
        for line in source:
            if written >= args.limit:
                break
            if line.strip():
                target.write(line)
                written += 1
    if not written:
        raise SystemExit(f"no letters in {args.letters}")
    models = dict(entry.split("=", 1) for entry in args.model)
    bertscore = args.bertscore_model or next(iter(models.values()))
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    results = {"letters": written, "seed": args.seed, "strategy": args.strategy,
               "bertscore_model": Path(bertscore).name, "models": {}}
    for name, path in models.items():
        started = time.monotonic()
        output, report_dir = work / f"synthetic-{name}", work / f"report-{name}"
        syndeid("synthesize", str(letters), str(output), "--model", path, "--seed", str(args.seed),
                "--strategy", args.strategy, "--overwrite")
        syndeid("evaluate", "--original", str(letters), "--synthetic", str(output), "--report", str(report_dir),
                "--bertscore-model", bertscore)
        report = json.loads((report_dir / "report.json").read_text())
        figures = {key: pick(report, path) for key, path in FIGURES.items()}
        figures["seconds"] = round(time.monotonic() - started, 1)
        results["models"][name] = figures
    text = json.dumps(results, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
