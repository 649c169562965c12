"""`evaluate`: originals + a synthesis output directory -> report.json, report.html, letters.parquet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from syndeid import __version__
from syndeid.config import ConfigError, SynthesisConfig
from syndeid.evaluation.corpus import CorpusEvaluator, EvaluationOptions, SpanFinder
from syndeid.evaluation.fidelity import BertScorer
from syndeid.evaluation.inputs import read_originals, read_synthetic_run
from syndeid.evaluation.privacy import load_gold_phi
from syndeid.evaluation.report import Example, write_report
from syndeid.records import CONFIG_HASH, ID, MODEL, SEED, STATUS, STATUS_OK, STRATEGY, SYNTHETIC_TEXT


@dataclass
class EvaluateRequest:
    original: str
    synthetic: str
    report_dir: str
    gold_phi: str | None = None
    examples: int = 0
    bertscore_model: str | None = None
    utility: bool = True
    utility_letters: int = 120
    device: str = "cpu"


class Progress:
    """What the evaluation reports while it runs: counts and stage names, never text."""

    def stage(self, description: str) -> None: ...

    def start_letters(self, total: int) -> None: ...

    def letter_done(self) -> None: ...


def medical_finder() -> SpanFinder:
    """Medical entities of a text, by the project's medical recognizer on the masker's spaCy pipeline."""
    from syndeid.masking.nlp import load_pipeline
    from syndeid.medical.recognizer import MedicalRecognizer

    nlp = load_pipeline()
    recognizer = MedicalRecognizer()
    recognizer.setup(nlp)
    # The recognizer matches on tokens only: the tokenizer is enough.
    return lambda text: recognizer.find(text, nlp.make_doc(text))


def evaluate(request: EvaluateRequest, config: SynthesisConfig | None = None, progress: Progress | None = None) -> dict:
    """Score every synthetic letter against its original and write the report; returns report.json's content
    plus the paths written (`files`)."""
    progress = progress or Progress()
    if request.examples < 0:
        raise ConfigError("--examples must be >= 0")
    progress.stage("reading synthetic letters")
    run = read_synthetic_run(request.synthetic)
    if run.letters.num_rows == 0:
        raise ConfigError(f"no synthetic letters in {request.synthetic}/letters")
    rows = sorted(run.letters.to_pylist(), key=lambda r: r[ID])
    progress.stage("reading original letters")
    originals = read_originals(request.original, {r[ID] for r in rows}, config or SynthesisConfig())
    gold = load_gold_phi(request.gold_phi) if request.gold_phi else None

    progress.stage("loading models")
    evaluator = CorpusEvaluator(_options(request, gold))
    progress.start_letters(len(rows))
    for row in rows:
        evaluator.add(row[ID], originals.texts[row[ID]], row)
        progress.letter_done()
    sections, per_letter = evaluator.results(progress=progress.stage)

    report = {
        "syndeid_version": __version__,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "inputs": {"original": request.original, "synthetic": request.synthetic, "gold_phi": request.gold_phi},
        "run": _run_provenance(rows, run.summary),
        **sections,
    }
    report["letters"].update(original_rows=originals.rows, original_bad_rows=originals.bad_rows,
                             synthetic_rows=len(rows), synthesis_errors=run.error_rows)
    ok_rows = [r for r in rows if r[STATUS] == STATUS_OK and r.get(SYNTHETIC_TEXT) is not None]
    examples = [Example(r[ID], originals.texts[r[ID]], r[SYNTHETIC_TEXT]) for r in ok_rows[: request.examples]]
    progress.stage("writing the report")
    report["files"] = write_report(request.report_dir, report, per_letter, examples)
    return report


def _options(request: EvaluateRequest, gold: dict | None) -> EvaluationOptions:
    """The models every metric needs, loaded once."""
    bert = BertScorer(request.bertscore_model, device=request.device)
    bert.setup()
    options = EvaluationOptions(gold_phi=gold, medical_finder=medical_finder(), bert_scorer=bert,
                                utility=request.utility, utility_letters=request.utility_letters)
    if gold is not None:
        options.phi_detector = phi_detector()
    return options


def _run_provenance(rows: list[dict], summary: dict) -> dict:
    def distinct(column: str):
        values = sorted({r.get(column) for r in rows if r.get(column) is not None})
        return values[0] if len(values) == 1 else values

    return {
        "model": distinct(MODEL), "strategy": distinct(STRATEGY), "seed": distinct(SEED),
        "config_hash": distinct(CONFIG_HASH), "summary": summary,
    }


def phi_detector() -> SpanFinder:
    """The masker's PHI detector, for letters whose output does not carry the spans the run detected."""
    from syndeid.masking.nlp import load_pipeline
    from syndeid.phi.detector import PhiDetector

    nlp = load_pipeline()
    detector = PhiDetector()
    detector.setup()
    return lambda text: detector.detect(text, nlp(text))
