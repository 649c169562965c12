"""`syndeid synthesize INPUT OUTPUT_DIR`: the whole pipeline on Ray Data."""

from __future__ import annotations

import argparse
import json

from syndeid.config import PHI_FILLS, STRATEGIES, SynthesisConfig, parse_mask_ratio


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "synthesize", help="turn a corpus of letters into synthetic letters (Parquet)",
        description="Read letters (JSON lines, Parquet, CSV or a directory of .txt files, local or any fsspec URL), "
        "mask PHI and a seeded share of words, fill the masks with a masked language model, check for leaks, "
        "and write OUTPUT_DIR/letters/ (Parquet), OUTPUT_DIR/errors.parquet and OUTPUT_DIR/summary.json.",
    )
    parser.add_argument("input", metavar="INPUT", help="a file, a directory or an fsspec URL")
    parser.add_argument("output", metavar="OUTPUT_DIR", help="where to write the results (directory or fsspec URL)")
    add_config_arguments(parser)
    parser.add_argument("--mask-actors", type=int, help="CPU actors for masking (default 1)")
    parser.add_argument("--fill-actors", type=int, help="actors for filling, one GPU each when the cluster has GPUs (default 1)")
    parser.add_argument("--fill-actors-per-gpu", type=int, metavar="K",
                        help="let K fill actors share each GPU (1/K GPU each), so one actor's host work (tokenizing, "
                        "sampling, rendering) overlaps another's forward passes; use with --fill-actors (default 1)")
    parser.add_argument("--address", help="Ray cluster address (default: start a local Ray)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--overwrite", action="store_true", help="replace an existing output in OUTPUT_DIR")
    mode.add_argument("--incremental", action="store_true",
                      help="add to OUTPUT_DIR only the letters not yet synthesized with this configuration (by id "
                      "and text); resumes an interrupted run; a finished run re-run adds nothing")
    parser.set_defaults(func=run)


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every command that synthesizes shares; each overrides the config file."""
    parser.add_argument("--config", metavar="FILE", help="YAML or JSON settings (see README); options below override it")
    parser.add_argument("--seed", type=int, help="run seed (default 0); each letter's seed derives from it and its id")
    parser.add_argument("--mask-ratio", action="append", metavar="POS=R", default=[],
                        help="share of words of a part of speech to mask, repeatable (default NOUN=0.7 VERB=0.7 ADJ=0.7)")
    parser.add_argument("--strategy", choices=STRATEGIES, help="fill strategy (default iterative)")
    parser.add_argument("--model", metavar="PATH_OR_ID", help="masked LM: local directory, hub id or fsspec URL (default: the shipped model)")
    parser.add_argument("--input-format", choices=("auto", "jsonl", "parquet", "csv", "txt"))
    parser.add_argument("--id-column", help="name of the id column or JSON key (default id)")
    parser.add_argument("--text-column", help="name of the text column or JSON key (default text)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--phi-fill", choices=PHI_FILLS,
                        help="mlm: the model fills PHI like any masked word (default); surrogate: consistent fake "
                             "names, places, numbers and shifted dates, which the model reads as context")


def config_from_args(args: argparse.Namespace) -> SynthesisConfig:
    base = SynthesisConfig.load(args.config)
    ratios = None
    if args.mask_ratio:
        ratios = dict(base.mask_ratios)
        ratios.update(parse_mask_ratio(item) for item in args.mask_ratio)
    overrides = dict(
        seed=args.seed, mask_ratios=ratios, strategy=args.strategy, model=args.model,
        input_format=args.input_format, id_column=args.id_column, text_column=args.text_column, device=args.device,
        phi_fill=getattr(args, "phi_fill", None),
        mask_actors=getattr(args, "mask_actors", None), fill_actors=getattr(args, "fill_actors", None),
        fill_actors_per_gpu=getattr(args, "fill_actors_per_gpu", None),
        address=getattr(args, "address", None),
    )
    return SynthesisConfig.load(args.config, **{k: v for k, v in overrides.items() if v is not None})


def run(args: argparse.Namespace) -> int:
    from syndeid.pipeline import synthesize

    config = config_from_args(args)
    result = synthesize(args.input, args.output, config, overwrite=args.overwrite, incremental=args.incremental)
    print(json.dumps(result, indent=2, sort_keys=True))
    print(
        f"{result['rows_ok']} synthetic letters in {args.output}/letters/, {result['rows_error']} rows in "
        f"{args.output}/errors.parquet, {result['rows_leak_blocked']} blocked for a leak; "
        f"{result['letters_per_s']} letters/s"
    )
    return 0
