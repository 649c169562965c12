"""`syndeid evaluate-phi --gold GOLD --pred PRED`: token-level PHI recall and precision (DESIGN.md)."""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate-phi", help="score predicted PHI spans against gold annotations (JSON)",
        description="Token-level recall and precision, overall, HIPAA-only (clinician names and bare years left "
        "out) and per category. GOLD: JSON lines {id, text, spans}, a BRAT directory (.txt + .ann) or i2b2 XML "
        "(a file or a directory). PRED: the JSON lines `syndeid phi` writes. Prints JSON with counts only.",
    )
    parser.add_argument("--gold", required=True, metavar="GOLD", help="gold annotations (JSON lines, BRAT dir, i2b2 XML)")
    parser.add_argument("--pred", required=True, metavar="PRED", help="predicted spans (JSON lines of `syndeid phi`)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syndeid.config import ConfigError
    from syndeid.phi.evaluation import GoldFormatError, load_gold_documents, load_predictions, score

    try:
        result = score(load_gold_documents(args.gold), load_predictions(args.pred))
    except GoldFormatError as exc:
        raise ConfigError(str(exc)) from None
    print(json.dumps(result, indent=2))
    return 0
