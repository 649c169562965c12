"""Evaluate a corpus of (original, synthetic) letter pairs: every per-letter metric, then the corpus figures.

`CorpusEvaluator.add` takes one pair at a time and keeps only numbers (plus, when utility is on, the pairs
it trains on); `results()` returns the report sections and the per-letter table. Nothing here writes or
prints letter text.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Callable

import pyarrow as pa

from syndeid.evaluation.diversity import TOP_N, DistinctNgrams, changed_words, top_n_overlap
from syndeid.evaluation.fidelity import ROUGE_TYPES, BertScorer, Rouge, medical_retention_counts
from syndeid.evaluation.privacy import Gold, reidentification_counts
from syndeid.evaluation.readability import READABILITY, readability
from syndeid.evaluation.utility import LetterPair, ner_utility
from syndeid.phi.evaluation import Scores as PhiScores, score_letter
from syndeid.records import STATUS_LEAK_BLOCKED, STATUS_OK, Span

SpanFinder = Callable[[str], list[Span]]

BERTSCORE_NOTE = (
    "BERTScore F1 from this model's hidden states, without IDF weighting or baseline rescaling: "
    "figures are not comparable across models."
)


@dataclass
class EvaluationOptions:
    gold_phi: dict[str, Gold] | None = None
    phi_detector: SpanFinder | None = None  # predicted PHI for recall/precision, when gold PHI is given
    medical_finder: SpanFinder | None = None
    bert_scorer: BertScorer | None = None
    utility: bool = True
    utility_letters: int = 120
    utility_iterations: int = 10


@dataclass
class CorpusEvaluator:
    options: EvaluationOptions
    rows: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rouge = Rouge()
        self._distinct = {n: DistinctNgrams(n) for n in (1, 2)}
        self._utility_pairs: list[LetterPair] = []
        self._medical_cache: dict[str, list[Span]] = {}
        self._phi_scores = PhiScores()  # token-level PHI detection over the corpus (syndeid.phi.evaluation)
        self._gold_text_mismatch = 0

    def add(self, letter_id: str, original: str, synthetic_row: dict) -> dict:
        """Score one letter; `synthetic_row` is its output row (status, synthetic_text, n_masked, ...)."""
        status = synthetic_row.get("status")
        synthetic = synthetic_row.get("synthetic_text")
        row: dict = {"id": letter_id, "status": status, "n_words": synthetic_row.get("n_words"),
                     "n_masked": synthetic_row.get("n_masked")}
        if status == STATUS_OK and synthetic is not None:
            row.update(self._letter_metrics(letter_id, original, synthetic, synthetic_row))
        self.rows.append(row)
        return row

    def _letter_metrics(self, letter_id: str, original: str, synthetic: str, synthetic_row: dict) -> dict:
        o = self.options
        metrics = self._closeness(original, synthetic, synthetic_row.get("n_masked") or 0)
        for side, text in (("original", original), ("synthetic", synthetic)):
            metrics.update({f"{name}_{side}": value for name, value in readability(text).items()})
        entities = o.medical_finder(original) if o.medical_finder is not None else None
        if entities is not None:
            retention = medical_retention_counts(original, synthetic, entities)
            metrics.update(medical_entities=retention.entities, medical_retained=retention.retained,
                           medical_retention=retention.retention)
        gold = o.gold_phi.get(letter_id) if o.gold_phi is not None else None
        if gold is not None and gold.text is not None and gold.text != original:
            self._gold_text_mismatch += 1  # its offsets are into another text: not usable
        elif gold is not None:
            metrics.update(self._privacy_metrics(original, synthetic, gold.spans, synthetic_row))
        if o.utility and len(self._utility_pairs) < o.utility_letters:
            self._utility_pairs.append(LetterPair(letter_id, original, synthetic))
            if entities is not None:
                self._medical_cache[original] = entities  # the utility's silver labels, found once
        return metrics

    def _closeness(self, original: str, synthetic: str, n_masked: int) -> dict:
        """Fidelity and diversity of one pair: ROUGE, BERTScore, changed fills, top-N overlap."""
        metrics: dict = dict(self._rouge.f1(original, synthetic))
        metrics["one_minus_rougeL"] = 1.0 - metrics["rougeL"]
        if self.options.bert_scorer is not None:
            metrics["bertscore_f1"] = self.options.bert_scorer.f1(original, synthetic)
        for counter in self._distinct.values():
            counter.add(synthetic)
        metrics["changed_words"] = changed_words(original, synthetic)
        metrics["changed_fill_share"] = min(1.0, metrics["changed_words"] / n_masked) if n_masked > 0 else None
        for n in TOP_N:
            metrics[f"top{n}_overlap"] = top_n_overlap(original, synthetic, n)
        return metrics

    def _privacy_metrics(self, original: str, synthetic: str, gold: list[Span], synthetic_row: dict) -> dict:
        """Re-identification risk against gold PHI and, with a detector, token-level PHI detection counts.
        The output's own PHI spans are used when the run kept them (trusted-zone runs)."""
        risk = reidentification_counts(original, synthetic, gold)
        metrics = {"gold_phi_tokens": risk.phi_tokens, "survived_phi_tokens": risk.survived,
                   "reidentification_risk": risk.risk}
        predicted = synthetic_row.get("original_phi_spans")
        if predicted is None and self.options.phi_detector is not None:
            predicted = self.options.phi_detector(original)
        if predicted is not None:
            predicted = [s if isinstance(s, Span) else Span(s["start"], s["end"], s["label"]) for s in predicted]
            score_letter(original, gold, predicted, self._phi_scores)
            letter = PhiScores()
            score_letter(original, gold, predicted, letter)
            counts = letter.overall.as_dict()
            metrics.update(phi_recall=counts["recall"], phi_precision=counts["precision"],
                           phi_gold_tokens=counts["gold_tokens"], phi_predicted_tokens=counts["predicted_tokens"])
        return metrics

    def results(self, progress: Callable[[str], None] | None = None) -> tuple[dict, pa.Table]:
        """The report sections (privacy, fidelity, diversity, readability, utility) and the per-letter table."""
        scored = [r for r in self.rows if r["status"] == STATUS_OK and "rougeL" in r]
        sections = {
            "letters": {
                "evaluated": len(scored),
                "ok": sum(r["status"] == STATUS_OK for r in self.rows),
                "leak_blocked": sum(r["status"] == STATUS_LEAK_BLOCKED for r in self.rows),
            },
            "privacy": self._privacy(scored),
            "fidelity": self._fidelity(scored),
            "diversity": self._diversity(scored),
            "readability": self._readability(scored),
        }
        if self.options.utility:
            if progress:
                progress("training the two utility NER models")
            sections["utility"] = self._utility()
        else:
            sections["utility"] = {"skipped": "turned off (--no-utility)"}
        return sections, per_letter_table(self.rows)

    def _privacy(self, scored: list[dict]) -> dict:
        section: dict = {
            "leak_blocked": sum(r["status"] == STATUS_LEAK_BLOCKED for r in self.rows),
            "leak_blocked_share": _share(sum(r["status"] == STATUS_LEAK_BLOCKED for r in self.rows), len(self.rows)),
        }
        if self.options.gold_phi is None:
            section["reidentification_risk"] = None
            section["note"] = "re-identification risk and PHI recall/precision need gold PHI (--gold-phi)"
            return section
        with_gold = [r for r in scored if "gold_phi_tokens" in r]
        phi_tokens = sum(r["gold_phi_tokens"] for r in with_gold)
        survived = sum(r["survived_phi_tokens"] for r in with_gold)
        section.update(
            letters_with_gold=len(with_gold), gold_phi_tokens=phi_tokens, survived_phi_tokens=survived,
            reidentification_risk=_share(survived, phi_tokens), gold_text_mismatch=self._gold_text_mismatch,
        )
        detection = self._phi_scores.as_dict()
        section.update(
            phi_recall=detection["overall"]["recall"], phi_precision=detection["overall"]["precision"],
            phi_hipaa_recall=detection["hipaa"]["recall"], phi_hipaa_precision=detection["hipaa"]["precision"],
            phi_detection=detection,
        )
        return section

    def _fidelity(self, scored: list[dict]) -> dict:
        section = {name: _mean(scored, name) for name in ROUGE_TYPES}
        if self.options.bert_scorer is not None:
            section["bertscore_f1"] = _mean(scored, "bertscore_f1")
            section["bertscore_model"] = self.options.bert_scorer.model_name
            section["bertscore_note"] = BERTSCORE_NOTE
        else:
            section["bertscore_f1"] = None
        if self.options.medical_finder is not None:
            entities = sum(r.get("medical_entities") or 0 for r in scored)
            retained = sum(r.get("medical_retained") or 0 for r in scored)
            section.update(medical_entities=entities, medical_retained=retained,
                           medical_entity_retention=_share(retained, entities))
        return section

    def _diversity(self, scored: list[dict]) -> dict:
        masked = sum(r.get("n_masked") or 0 for r in scored)
        changed = sum(r["changed_words"] for r in scored if (r.get("n_masked") or 0) > 0)
        return {
            "one_minus_rougeL": _mean(scored, "one_minus_rougeL"),
            "distinct_1": self._distinct[1].value,
            "distinct_2": self._distinct[2].value,
            "changed_fill_share": min(1.0, changed / masked) if masked else None,
            "top_n_overlap": {str(n): _mean(scored, f"top{n}_overlap") for n in TOP_N},
        }

    def _readability(self, scored: list[dict]) -> dict:
        section: dict = {"original": {}, "synthetic": {}, "difference": {}}
        for name in READABILITY:
            original, synthetic = _mean(scored, f"{name}_original"), _mean(scored, f"{name}_synthetic")
            section["original"][name] = original
            section["synthetic"][name] = synthetic
            section["difference"][name] = None if original is None or synthetic is None else synthetic - original
        return section

    def _utility(self) -> dict:
        finder = self.options.medical_finder
        if finder is None:
            return {"skipped": "no medical recognizer available for silver labels"}
        cache = self._medical_cache

        def labeller(text: str) -> list[Span]:
            if text not in cache:
                cache[text] = finder(text)
            return cache[text]

        return ner_utility(self._utility_pairs, labeller, iterations=self.options.utility_iterations)


def per_letter_table(rows: list[dict]) -> pa.Table:
    """One row per letter, every metric a column (null where it does not apply); no text."""
    names: list[str] = []
    for row in rows:
        names.extend(k for k in row if k not in names)
    columns = {}
    for name in names:
        values = [row.get(name) for row in rows]
        columns[name] = pa.array(values, type=_arrow_type(values))
    return pa.table(columns)


def _arrow_type(values: list) -> pa.DataType:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, str) for v in present):
        return pa.string()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.int64()
    return pa.float64()


def _mean(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.fmean(values) if values else None


def _share(part: int | None, whole: int | None) -> float | None:
    return part / whole if part is not None and whole else None
