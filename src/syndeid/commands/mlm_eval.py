"""`syndeid mlm-eval INPUT`: whole-word top-1 recovery of a masked language model on any letters."""

from __future__ import annotations

import argparse
import json

from syndeid.config import ConfigError, SynthesisConfig


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "mlm-eval", help="measure how often a masked LM recovers masked words (JSON)",
        description="Mask a seeded share of each letter's words (one mask token per word), predict them in one "
        "pass per window, and print {\"word_top1\", \"n_words_masked\", \"n_letters\"} as JSON. Rows the reader "
        "rejects are skipped.",
    )
    parser.add_argument("input", metavar="INPUT", help="letters in any format `synthesize` reads (file, directory or fsspec URL)")
    parser.add_argument("--model", metavar="PATH_OR_ID", help="masked LM: local directory, hub id or fsspec URL (default: the shipped model)")
    parser.add_argument("--ratio", type=float, default=0.15, help="share of words masked (default 0.15)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the word draw (default 0)")
    parser.add_argument("--input-format", choices=("auto", "jsonl", "parquet", "csv", "txt"))
    parser.add_argument("--id-column", help="name of the id column or JSON key (default id)")
    parser.add_argument("--text-column", help="name of the text column or JSON key (default text)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.set_defaults(func=run)


def read_texts(path: str, config: SynthesisConfig) -> list[str]:
    """The text of every row the reader accepts, in input order."""
    from syndeid.io.readers import iter_letter_tables
    from syndeid.records import ROW_ERROR, TEXT

    texts: list[str] = []
    for table in iter_letter_tables(path, config):
        for text, error in zip(table.column(TEXT).to_pylist(), table.column(ROW_ERROR).to_pylist()):
            if error is None:
                texts.append(text)
    return texts


def run(args: argparse.Namespace) -> int:
    from syndeid.filling.model import load_mlm
    from syndeid.training.mlm_eval import word_top1

    if not 0.0 < args.ratio <= 1.0:
        raise ConfigError("--ratio must be in (0, 1]")
    overrides = dict(input_format=args.input_format, id_column=args.id_column, text_column=args.text_column)
    config = SynthesisConfig.load(None, **overrides)
    texts = read_texts(args.input, config)
    model, tokenizer = load_mlm(args.model, args.device)
    print(json.dumps(word_top1(model, tokenizer, texts, ratio=args.ratio, seed=args.seed)))
    return 0
