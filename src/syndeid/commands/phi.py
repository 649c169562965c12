"""`syndeid phi INPUT OUTPUT.jsonl`: the PHI spans of every letter, with the masker's detector."""

from __future__ import annotations

import argparse
import json
import sys
import time

from syndeid.config import SynthesisConfig


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "phi", help="detect PHI in letters and write the spans (JSON lines)",
        description="Read letters as `synthesize` does and write one line per letter: "
        "{\"id\": ..., \"spans\": [[start, end, \"CATEGORY\"], ...]} with character offsets into the text and "
        "categories NAME, DATE, AGE, LOCATION, CONTACT, ID, OTHER. Rows the reader rejects are counted, not "
        "written. The output holds offsets only, never PHI text.",
    )
    parser.add_argument("input", metavar="INPUT", help="a file, a directory or an fsspec URL")
    parser.add_argument("output", metavar="OUTPUT.jsonl", help="where to write the spans (path or fsspec URL)")
    parser.add_argument("--config", metavar="FILE", help="YAML or JSON settings (input format and columns)")
    parser.add_argument("--input-format", choices=("auto", "jsonl", "parquet", "csv", "txt"))
    parser.add_argument("--id-column", help="name of the id column or JSON key (default id)")
    parser.add_argument("--text-column", help="name of the text column or JSON key (default text)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import fsspec

    from syndeid.io.readers import iter_letter_tables
    from syndeid.phi.detector import PhiDetector
    from syndeid.records import ID, ROW_ERROR, TEXT

    overrides = dict(input_format=args.input_format, id_column=args.id_column, text_column=args.text_column)
    config = SynthesisConfig.load(args.config, **overrides)
    detector = PhiDetector()
    detector.setup()
    letters = rejected = spans_written = characters = 0
    started = time.perf_counter()
    with fsspec.open(args.output, "w", encoding="utf-8") as out:
        for table in iter_letter_tables(args.input, config):
            rows = [
                (letter_id, text)
                for letter_id, text, error in zip(
                    table.column(ID).to_pylist(), table.column(TEXT).to_pylist(), table.column(ROW_ERROR).to_pylist()
                )
                if error is None
            ]
            rejected += table.num_rows - len(rows)
            for (letter_id, text), spans in zip(rows, detector.detect_texts([t for _, t in rows])):
                out.write(json.dumps({"id": letter_id, "spans": [[s.start, s.end, s.label] for s in spans]}) + "\n")
                letters += 1
                spans_written += len(spans)
                characters += len(text)
    seconds = time.perf_counter() - started
    summary = {"letters": letters, "rows_rejected": rejected, "spans": spans_written, "seconds": round(seconds, 2),
               "characters_per_s": round(characters / seconds) if seconds else None}
    print(json.dumps(summary), file=sys.stderr)
    return 0
