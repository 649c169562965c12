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
    parser.add_argument(
        "--categories", metavar="CATS", type=_categories,
        help="score only these PHI categories, comma-separated (e.g. NAME,AGE), for gold that labels only some",
    )
    parser.set_defaults(func=run)


def _categories(value: str) -> list[str]:
    from syndeid.records import PHI_CATEGORIES

    chosen = [c.strip().upper() for c in value.split(",") if c.strip()]
    unknown = sorted(set(chosen) - set(PHI_CATEGORIES))
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(f"choose categories from {','.join(PHI_CATEGORIES)} (unknown: {unknown or 'none given'})")
    return chosen


def run(args: argparse.Namespace) -> int:
    from syndeid.config import ConfigError
    from syndeid.phi.evaluation import GoldFormatError, load_gold_documents, load_predictions, score

    try:
        result = score(load_gold_documents(args.gold), load_predictions(args.pred), categories=args.categories)
    except GoldFormatError as exc:
        raise ConfigError(str(exc)) from None
    print(json.dumps(result, indent=2))
    return 0
