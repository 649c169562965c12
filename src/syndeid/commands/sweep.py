"""`syndeid sweep INPUT --report DIR`: the diversity–fidelity curve over mask ratios and strategies."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from syndeid.commands.evaluate import quiet_model_loading
from syndeid.commands.synthesize import add_config_arguments, config_from_args
from syndeid.config import STRATEGIES, ConfigError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sweep", help="fidelity against diversity over mask ratios and fill strategies, on a sample",
        description="Synthesize a sample of INPUT in this process (no Ray) at mask ratios 0.3, 0.5, 0.7, 0.9 and 1.0 "
        "with each fill strategy, measure fidelity (ROUGE-L, BERTScore F1, medical-entity retention) and diversity "
        "(1 - ROUGE-L, changed fills, distinct-2), and write DIR/sweep.json and DIR/sweep.html. No letter text is written.",
    )
    parser.add_argument("input", metavar="INPUT", help="a file, a directory or an fsspec URL")
    parser.add_argument("--report", required=True, metavar="DIR", help="where to write sweep.json and sweep.html")
    parser.add_argument("--sample", type=int, default=20, metavar="N", help="the first N rows of INPUT (default 20)")
    parser.add_argument("--ratios", default="0.3,0.5,0.7,0.9,1.0", metavar="R,R,...", help="mask ratios to sweep")
    parser.add_argument("--strategies", default=",".join(STRATEGIES), metavar="S,S,...", help="fill strategies to sweep")
    parser.add_argument("--bertscore-model", metavar="PATH", help="local encoder for BERTScore (default: the shipped model)")
    add_config_arguments(parser)
    parser.set_defaults(func=run)


def _ratios(text: str) -> tuple[float, ...]:
    try:
        ratios = tuple(float(item) for item in text.split(",") if item.strip())
    except ValueError:
        raise ConfigError(f"--ratios takes numbers separated by commas (got {text!r})") from None
    if not ratios or not all(0.0 <= r <= 1.0 for r in ratios):
        raise ConfigError("--ratios must be numbers in [0, 1]")
    return ratios


def _strategies(text: str) -> tuple[str, ...]:
    chosen = tuple(item.strip() for item in text.split(",") if item.strip())
    unknown = [s for s in chosen if s not in STRATEGIES]
    if not chosen or unknown:
        raise ConfigError(f"--strategies takes some of {', '.join(STRATEGIES)}")
    return chosen


def run(args: argparse.Namespace) -> int:
    from syndeid.evaluation.sweep import SweepRequest, run_sweep

    if args.sample < 1:
        raise ConfigError("--sample must be >= 1")
    config = config_from_args(args)
    request = SweepRequest(
        input=args.input, report_dir=args.report, sample=args.sample, ratios=_ratios(args.ratios),
        strategies=_strategies(args.strategies), bertscore_model=args.bertscore_model,
        device="cpu" if config.device == "auto" else config.device,
    )
    quiet_model_loading()
    console = Console(stderr=True, log_path=False)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("synthesizing and scoring", total=len(request.ratios) * len(request.strategies))

        def advance(strategy: str, ratio: float) -> None:
            progress.update(task, advance=1, description=f"done {strategy} at {ratio:.1f}")

        result = run_sweep(request, config, advance)
    for point in result["points"]:
        print(f"{point['strategy']:>10} ratio {point['ratio']:.1f}: ROUGE-L {_f(point['rougeL'])} "
              f"BERTScore {_f(point['bertscore_f1'])} 1-ROUGE-L {_f(point['one_minus_rougeL'])} "
              f"changed fills {_f(point['changed_fill_share'])} ({point['seconds']} s)")
    print(f"report: {result['files']['sweep.html']}")
    return 0


def _f(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"
