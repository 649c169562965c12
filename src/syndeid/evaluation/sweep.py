"""The diversity–fidelity curve: synthesize a sample at several mask ratios with each strategy, in process,
and measure fidelity (ROUGE-L, BERTScore F1) against diversity (1 − ROUGE-L, changed fills, distinct-2).

A sweep ratio replaces every ratio of the base configuration (default NOUN, VERB, ADJ), so "0.5" means each
of those parts of speech is masked at 0.5; PHI is always masked whatever the ratio.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from syndeid import __version__
from syndeid.config import STRATEGIES, SynthesisConfig
from syndeid.evaluation import plots
from syndeid.evaluation.corpus import BERTSCORE_NOTE, CorpusEvaluator, EvaluationOptions, SpanFinder
from syndeid.evaluation.fidelity import BertScorer
from syndeid.evaluation.report import STYLE, finite_json, fmt
from syndeid.privacy.check import ORIGINAL_TEXT
from syndeid.records import ID, STATUS, STATUS_ERROR

RATIOS = (0.3, 0.5, 0.7, 0.9, 1.0)
SWEEP_JSON, SWEEP_HTML = "sweep.json", "sweep.html"


@dataclass
class SweepRequest:
    input: str
    report_dir: str
    sample: int = 20
    ratios: tuple[float, ...] = RATIOS
    strategies: tuple[str, ...] = STRATEGIES
    bertscore_model: str | None = None
    device: str = "cpu"


@dataclass
class SweepPoint:
    strategy: str
    ratio: float
    letters: int
    leak_blocked: int
    seconds: float
    metrics: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"strategy": self.strategy, "ratio": self.ratio, "letters": self.letters,
                "leak_blocked": self.leak_blocked, "seconds": round(self.seconds, 2), **self.metrics}


def sweep_point(table, strategy: str, ratio: float, seconds: float, bert: BertScorer | None,
                medical_finder: SpanFinder | None) -> SweepPoint:
    """Score one synthesis of the sample (the checked rows, originals kept in memory only)."""
    evaluator = CorpusEvaluator(EvaluationOptions(medical_finder=medical_finder, bert_scorer=bert, utility=False))
    for row in table.to_pylist():
        if row[STATUS] != STATUS_ERROR:
            evaluator.add(row[ID], row[ORIGINAL_TEXT], row)
    sections, _ = evaluator.results()
    fidelity, diversity = sections["fidelity"], sections["diversity"]
    metrics = {
        "rougeL": fidelity["rougeL"], "bertscore_f1": fidelity["bertscore_f1"],
        "medical_entity_retention": fidelity.get("medical_entity_retention"),
        "one_minus_rougeL": diversity["one_minus_rougeL"], "changed_fill_share": diversity["changed_fill_share"],
        "distinct_2": diversity["distinct_2"], "top10_overlap": diversity["top_n_overlap"]["10"],
    }
    return SweepPoint(strategy, ratio, sections["letters"]["evaluated"], sections["letters"]["leak_blocked"],
                      seconds, metrics)


def run_sweep(request: SweepRequest, base: SynthesisConfig, progress=None) -> dict:
    """Every (strategy, ratio) on the same sample and seed; writes DIR/sweep.json and DIR/sweep.html."""
    from syndeid.evaluation.run import medical_finder
    from syndeid.pipeline import synthesize_in_process

    bert = BertScorer(request.bertscore_model, device=request.device)
    bert.setup()
    finder = _cached(medical_finder())
    points = []
    for strategy in request.strategies:
        for ratio in request.ratios:
            config = base.replace(strategy=strategy, mask_ratios={pos: ratio for pos in base.mask_ratios},
                                  keep_original=True)
            started = time.perf_counter()
            table = synthesize_in_process(request.input, config, limit=request.sample)
            seconds = time.perf_counter() - started
            points.append(sweep_point(table, strategy, ratio, seconds, bert, finder))
            if progress is not None:
                progress(strategy, ratio)
    result = {
        "syndeid_version": __version__,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "input": request.input, "sample": request.sample, "seed": base.seed,
        "base_mask_ratios": dict(base.mask_ratios), "ratios": list(request.ratios), "strategies": list(request.strategies),
        "bertscore_model": bert.model_name, "bertscore_note": BERTSCORE_NOTE,
        "points": [p.as_dict() for p in points],
    }
    directory = Path(request.report_dir)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / SWEEP_JSON).write_text(json.dumps(finite_json(result), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (directory / SWEEP_HTML).write_text(render_sweep_html(result), encoding="utf-8")
    result["files"] = {name: str(directory / name) for name in (SWEEP_JSON, SWEEP_HTML)}
    return result


def _cached(finder: SpanFinder) -> SpanFinder:
    """The originals are the same in every run of a sweep: find their medical entities once."""
    cache: dict[str, list] = {}

    def find(text: str):
        if text not in cache:
            cache[text] = finder(text)
        return cache[text]

    return find


def render_sweep_html(result: dict) -> str:
    points = result["points"]
    figures = [
        plots.tradeoff(points, "one_minus_rougeL", "bertscore_f1", "diversity: 1 − ROUGE-L", "fidelity: BERTScore F1",
                       "BERTScore F1 against 1 − ROUGE-L"),
        plots.tradeoff(points, "changed_fill_share", "rougeL", "diversity: share of masked words changed",
                       "fidelity: ROUGE-L", "ROUGE-L against changed fills"),
        plots.tradeoff(points, "one_minus_rougeL", "medical_entity_retention", "diversity: 1 − ROUGE-L",
                       "medical-entity retention", "Medical-entity retention against 1 − ROUGE-L"),
    ]
    columns = {"strategy": "strategy", "ratio": "ratio", "letters": "letters", "leak_blocked": "leak-blocked",
               "rougeL": "ROUGE-L", "bertscore_f1": "BERTScore F1", "medical_entity_retention": "medical retention",
               "one_minus_rougeL": "1 − ROUGE-L", "changed_fill_share": "changed fills", "distinct_2": "distinct-2",
               "top10_overlap": "top-10 overlap", "seconds": "seconds"}
    head = "".join(f"<th>{label}</th>" for label in columns.values())
    body = "".join("<tr>" + "".join(f"<td class='n'>{fmt(p.get(c))}</td>" for c in columns) + "</tr>" for p in points)
    images = "".join(f"<img alt='trade-off' src='data:image/png;base64,{f}'>" for f in figures if f)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>syndeid sweep</title>"
        f"<style>{STYLE}</style></head><body><header><h1>Diversity–fidelity sweep</h1>"
        f"<p>syndeid {html.escape(result['syndeid_version'])} · {html.escape(result['created'])} · sample of "
        f"{result['sample']} letters · seed {result['seed']}</p></header><main>"
        f"<section><h2>Trade-off</h2>{images}<p class='note'>Each sweep ratio replaces every part-of-speech ratio of "
        f"the base configuration ({html.escape(', '.join(result['base_mask_ratios']))}); PHI is always masked. "
        f"BERTScore model: <b>{html.escape(result['bertscore_model'])}</b>. {html.escape(result['bertscore_note'])}</p></section>"
        f"<section><h2>Every run</h2><div style='overflow-x:auto'><table><tr>{head}</tr>{body}</table></div></section>"
        "</main></body></html>"
    )
