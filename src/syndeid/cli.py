"""The `syndeid` command. Each subcommand lives in a module of `syndeid.commands` that defines
`register(subparsers)`; the parser it adds sets `func(args) -> int`."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from syndeid import __version__
from syndeid.config import ConfigError

COMMAND_MODULES = (
    "syndeid.commands.synthesize",
    "syndeid.commands.mlm_eval",
    "syndeid.commands.train_mlm",
    "syndeid.commands.evaluate",
    "syndeid.commands.sweep",
    "syndeid.commands.phi",
    "syndeid.commands.evaluate_phi",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syndeid", description="Synthetic clinical letters by masked language modelling.")
    parser.add_argument("--version", action="version", version=f"syndeid {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging (never includes letter text)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"syndeid: configuration error: {exc}", file=sys.stderr)
        return 2
    except FileExistsError as exc:
        print(f"syndeid: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        # The path is the user's own argument; the message quotes no letter text.
        print(f"syndeid: not found: {exc.filename or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
