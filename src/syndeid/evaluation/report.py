"""Write an evaluation: DIR/report.json, DIR/report.html (self-contained, plots embedded as PNG) and
DIR/letters.parquet (per-letter metrics, to find the worst letters). Letter text appears only in the
HTML's explicitly requested side-by-side examples, under a warning."""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from syndeid.evaluation import plots

REPORT_JSON, REPORT_HTML, LETTERS_PARQUET = "report.json", "report.html", "letters.parquet"

DEFINITIONS = {
    "reidentification_risk": "share of gold PHI tokens that align (difflib word alignment) to an identical token in the synthetic letter; lower is better",
    "phi_recall": "gold PHI tokens (runs of letters or digits) entirely covered by a detected PHI span / gold PHI tokens",
    "phi_precision": "tokens of detected PHI spans that are gold PHI / tokens of detected PHI spans",
    "leak_blocked": "letters withheld by the leak check because a detected PHI string survived the fill",
    "rouge": "ROUGE-1/2/L F1 of synthetic vs original (rouge-score), mean over letters; higher = closer",
    "bertscore_f1": "BERTScore F1 (greedy cosine matching of hidden states), mean over letters; model-specific",
    "medical_entity_retention": "distinct medical entities of the original found verbatim in the synthetic letter / all",
    "one_minus_rougeL": "1 - ROUGE-L F1, mean over letters; higher = more diverse",
    "distinct_n": "distinct word n-grams / all word n-grams over the synthetic corpus",
    "changed_fill_share": "original words not aligned to an identical synthetic word / masked words (at most 1)",
    "top_n_overlap": "share of the original's N most frequent content words also among the synthetic letter's N most frequent, mean over letters",
    "readability": "textstat SMOG grade, Flesch reading ease, Flesch-Kincaid grade, mean over letters",
    "utility": "spaCy NER trained on synthetic vs on original letters (same silver labels, same split), F1 on held-out originals",
}


@dataclass(frozen=True)
class Example:
    id: str
    original: str
    synthetic: str


def write_report(report_dir: str | Path, report: dict, letters: pa.Table, examples: list[Example] = ()) -> dict[str, str]:
    """Write the three files; returns their paths."""
    directory = Path(report_dir)
    directory.mkdir(parents=True, exist_ok=True)
    report = {**report, "contains_original_text": bool(examples), "definitions": DEFINITIONS}
    paths = {name: str(directory / name) for name in (REPORT_JSON, REPORT_HTML, LETTERS_PARQUET)}
    Path(paths[REPORT_JSON]).write_text(json.dumps(finite_json(report), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    pq.write_table(letters, paths[LETTERS_PARQUET])
    Path(paths[REPORT_HTML]).write_text(render_html(report, letters, list(examples)), encoding="utf-8")
    return paths


def finite_json(value):
    """JSON has no NaN/Infinity: such values become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_json(v) for v in value]
    return value


# --- HTML -------------------------------------------------------------------------------------------------

STYLE = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;background:#f5f6f8;color:#1d2430}
header{background:#1f3b63;color:#fff;padding:22px 36px}header h1{margin:0 0 6px;font-size:24px}
header p{margin:2px 0;opacity:.85;font-size:14px}main{max-width:1100px;margin:0 auto;padding:24px 36px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:18px 24px;margin:18px 0}
h2{margin-top:0;font-size:19px;color:#1f3b63}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:14px 16px}
.card .v{font-size:24px;font-weight:600;color:#1f3b63}.card .k{font-size:12px;color:#5a6472;text-transform:uppercase;letter-spacing:.03em}
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e6e8ec}
th{background:#f0f2f5;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.def{color:#5a6472;font-size:13px}.note{background:#fff8e1;border-left:4px solid #f0b429;padding:8px 12px;font-size:13px}
.warn{background:#fdecea;border-left:6px solid #c62828;padding:10px 14px;font-weight:600;color:#8e1b1b}
img{max-width:100%;width:760px;display:block;margin:10px 0}.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.pair pre{white-space:pre-wrap;background:#fafafa;border:1px solid #e6e8ec;padding:10px;font-size:12.5px;max-height:420px;overflow:auto}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}@media(max-width:900px){.grid2,.pair{grid-template-columns:1fr}}
"""


def fmt(value, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return html.escape(str(value))


def _table(rows: list[tuple[str, object, str]]) -> str:
    body = "".join(
        f"<tr><td>{html.escape(name)}</td><td class='n'>{fmt(value)}</td><td class='def'>{html.escape(definition)}</td></tr>"
        for name, value, definition in rows
    )
    return f"<table><tr><th>metric</th><th>value</th><th>definition</th></tr>{body}</table>"


def _img(png: str | None, alt: str) -> str:
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{png}'>" if png else ""


def _card(label: str, value) -> str:
    return f"<div class='card'><div class='k'>{html.escape(label)}</div><div class='v'>{fmt(value)}</div></div>"


def _column(letters: pa.Table, name: str) -> list[float]:
    if name not in letters.column_names:
        return []
    return [v for v in letters.column(name).to_pylist() if v is not None]


def _worst(letters: pa.Table, name: str, descending: bool, limit: int = 10, beyond: float | None = None) -> list[tuple[str, float]]:
    """The `limit` letters with the highest (or lowest) value, only those past `beyond` when given."""
    if name not in letters.column_names:
        return []
    present = letters.filter(pc.is_valid(letters.column(name)))
    if beyond is not None:
        present = present.filter((pc.greater if descending else pc.less)(present.column(name), beyond))
    order = present.sort_by([(name, "descending" if descending else "ascending")]).slice(0, limit)
    return list(zip(order.column("id").to_pylist(), order.column(name).to_pylist()))


def render_html(report: dict, letters: pa.Table, examples: list[Example]) -> str:
    run = report.get("run", {})
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>syndeid evaluation</title>",
        f"<style>{STYLE}</style></head><body><header><h1>syndeid evaluation report</h1>",
        f"<p>syndeid {html.escape(str(report.get('syndeid_version')))} · created {html.escape(str(report.get('created')))}</p>",
        f"<p>model {html.escape(str(run.get('model')))} · strategy {html.escape(str(run.get('strategy')))} · "
        f"seed {html.escape(str(run.get('seed')))} · config {html.escape(str(run.get('config_hash')))}</p></header><main>",
    ]
    if examples:
        parts.append("<div class='warn'>This report contains ORIGINAL LETTER TEXT (side-by-side examples requested "
                     "with --examples). Keep it inside the trusted zone.</div>")
    parts += [
        _cards(report), _letters_section(report["letters"]), _privacy_section(report["privacy"], letters),
        _fidelity_section(report["fidelity"], letters), _diversity_section(report["diversity"]),
        _readability_section(report["readability"]), _utility_section(report["utility"]), _examples_section(examples),
        "<p class='def'>Per-letter metrics: letters.parquet beside this report (one row per letter, no text).</p>",
        "</main></body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _cards(report: dict) -> str:
    privacy, fidelity, utility = report["privacy"], report["fidelity"], report["utility"]
    synthetic_f1 = utility.get("trained_on_synthetic", {}).get("f1")
    original_f1 = utility.get("trained_on_original", {}).get("f1")
    cards = [
        _card("letters evaluated", report["letters"].get("evaluated")),
        _card("leak-blocked", privacy.get("leak_blocked")),
        _card("re-identification risk", privacy.get("reidentification_risk")),
        _card("ROUGE-L", fidelity.get("rougeL")),
        _card("BERTScore F1", fidelity.get("bertscore_f1")),
        _card("medical retention", fidelity.get("medical_entity_retention")),
        _card("distinct-2", report["diversity"].get("distinct_2")),
        _card("NER F1 synthetic / original",
              None if synthetic_f1 is None else f"{synthetic_f1:.3f} / {original_f1:.3f}"),
    ]
    return "<div class='cards' style='margin-top:18px'>" + "".join(cards) + "</div>"


def _letters_section(counts: dict) -> str:
    return "<section><h2>Letters</h2>" + _table([
        ("original rows read", counts.get("original_rows"), "rows of the original input"),
        ("original rows unreadable", counts.get("original_bad_rows"), "rows the reader marked as errors"),
        ("synthetic rows", counts.get("synthetic_rows"), "rows of OUTPUT_DIR/letters (ok + leak-blocked)"),
        ("synthesis errors", counts.get("synthesis_errors"), "rows of OUTPUT_DIR/errors.parquet"),
        ("evaluated", counts.get("evaluated"), "ok letters joined with their original on id"),
    ]) + "</section>"


def _privacy_section(privacy: dict, letters: pa.Table) -> str:
    rows = [
        ("leak-blocked letters", privacy.get("leak_blocked"), DEFINITIONS["leak_blocked"]),
        ("leak-blocked share", privacy.get("leak_blocked_share"), "leak-blocked / synthetic rows"),
        ("re-identification risk", privacy.get("reidentification_risk"), DEFINITIONS["reidentification_risk"]),
    ]
    if "gold_phi_tokens" in privacy:
        rows += [
            ("gold PHI tokens", privacy.get("gold_phi_tokens"), "in letters with gold annotations"),
            ("surviving gold PHI tokens", privacy.get("survived_phi_tokens"), ""),
            ("PHI recall", privacy.get("phi_recall"), DEFINITIONS["phi_recall"]),
            ("PHI precision", privacy.get("phi_precision"), DEFINITIONS["phi_precision"]),
        ]
        rows += [
            ("PHI recall, HIPAA only", privacy.get("phi_hipaa_recall"), "without clinician names and bare years, as the paper"),
            ("PHI precision, HIPAA only", privacy.get("phi_hipaa_precision"), "predicted tokens on non-HIPAA gold left out"),
        ]
    parts = ["<section><h2>Privacy</h2>", _table(rows)]
    if privacy.get("note"):
        parts.append(f"<p class='note'>{html.escape(privacy['note'])}</p>")
    if privacy.get("gold_text_mismatch"):
        parts.append(f"<p class='note'>{privacy['gold_text_mismatch']} letters left out of the gold-PHI figures: the "
                     "annotated text differs from the original letter, so the gold offsets do not apply.</p>")
    categories = privacy.get("phi_detection", {}).get("categories", {})
    if categories:
        body = "".join(
            f"<tr><td>{html.escape(name)}</td><td class='n'>{fmt(c['recall'])}</td><td class='n'>{c['gold_tokens']}</td>"
            f"<td class='n'>{fmt(c['precision'])}</td><td class='n'>{c['predicted_tokens']}</td></tr>"
            for name, c in categories.items()
        )
        parts.append("<h3 style='font-size:15px'>PHI detection by category (the masker's detector vs gold)</h3><table>"
                     "<tr><th>category</th><th>recall</th><th>gold tokens</th><th>precision</th><th>predicted tokens</th></tr>"
                     f"{body}</table>")
    if "reidentification_risk" in letters.column_names:
        parts.append(_img(plots.histograms({"re-identification risk": _column(letters, "reidentification_risk")},
                                           "Re-identification risk per letter", "share of gold PHI tokens surviving"),
                          "re-identification risk per letter"))
        parts.append(_worst_table("Letters where gold PHI survived (highest risk first)",
                                  _worst(letters, "reidentification_risk", True, beyond=0.0),
                                  "no gold PHI token survived in any letter"))
    parts.append("</section>")
    return "".join(parts)


def _fidelity_section(fidelity: dict, letters: pa.Table) -> str:
    rows = [(label, fidelity.get(key), DEFINITIONS["rouge"])
            for key, label in (("rouge1", "ROUGE-1"), ("rouge2", "ROUGE-2"), ("rougeL", "ROUGE-L"))]
    rows.append(("BERTScore F1", fidelity.get("bertscore_f1"), DEFINITIONS["bertscore_f1"]))
    rows.append(("medical-entity retention", fidelity.get("medical_entity_retention"), DEFINITIONS["medical_entity_retention"]))
    parts = ["<section><h2>Fidelity</h2>", _table(rows)]
    if fidelity.get("bertscore_model"):
        parts.append(f"<p class='note'>BERTScore model: <b>{html.escape(fidelity['bertscore_model'])}</b>. "
                     f"{html.escape(fidelity.get('bertscore_note', ''))}</p>")
    parts.append(_img(plots.histograms({"ROUGE-L": _column(letters, "rougeL"), "BERTScore F1": _column(letters, "bertscore_f1")},
                                       "Fidelity per letter", "score (1 = identical)"), "fidelity per letter"))
    parts.append("<div class='grid2'>" + _worst_table("Lowest BERTScore F1", _worst(letters, "bertscore_f1", False))
                 + _worst_table("Letters that lost medical entities (lowest retention first)",
                                _worst(letters, "medical_retention", False, beyond=1.0),
                                "every medical entity was kept in every letter") + "</div></section>")
    return "".join(parts)


def _diversity_section(diversity: dict) -> str:
    overlap = diversity.get("top_n_overlap", {})
    rows = [
        ("1 − ROUGE-L", diversity.get("one_minus_rougeL"), DEFINITIONS["one_minus_rougeL"]),
        ("distinct-1", diversity.get("distinct_1"), DEFINITIONS["distinct_n"]),
        ("distinct-2", diversity.get("distinct_2"), DEFINITIONS["distinct_n"]),
        ("changed fills", diversity.get("changed_fill_share"), DEFINITIONS["changed_fill_share"]),
    ] + [(f"top-{n} word overlap", v, DEFINITIONS["top_n_overlap"]) for n, v in overlap.items()]
    return ("<section><h2>Diversity</h2>" + _table(rows)
            + _img(plots.top_n_overlap(overlap), "top-N word overlap") + "</section>")


READABILITY_LABELS = {"smog": "SMOG grade", "flesch_reading_ease": "Flesch reading ease",
                      "flesch_kincaid_grade": "Flesch-Kincaid grade"}


def _readability_section(readability: dict) -> str:
    body = "".join(
        f"<tr><td>{label}</td><td class='n'>{fmt(readability['original'].get(key), 2)}</td>"
        f"<td class='n'>{fmt(readability['synthetic'].get(key), 2)}</td>"
        f"<td class='n'>{fmt(readability['difference'].get(key), 2)}</td></tr>"
        for key, label in READABILITY_LABELS.items()
    )
    figure = plots.paired_panels(
        {label: (readability["original"].get(k), readability["synthetic"].get(k)) for k, label in READABILITY_LABELS.items()},
        ("original", "synthetic"), "Readability, original vs synthetic (means)")
    return ("<section><h2>Readability</h2><table><tr><th>score</th><th>original</th><th>synthetic</th>"
            f"<th>difference</th></tr>{body}</table><p class='def'>{DEFINITIONS['readability']}</p>"
            + _img(figure, "readability") + "</section>")


def _utility_section(utility: dict) -> str:
    if "skipped" in utility:
        return f"<section><h2>Utility (downstream NER)</h2><p class='note'>Skipped: {html.escape(utility['skipped'])}</p></section>"
    sides = (("trained_on_original", "trained on originals"), ("trained_on_synthetic", "trained on synthetic"))
    rows = "".join(
        f"<tr><td>{label}</td>" + "".join(f"<td class='n'>{fmt(utility[key][m])}</td>" for m in ("precision", "recall", "f1"))
        + "</tr>"
        for key, label in sides
    )
    figure = plots.paired_bars(
        {m: (utility["trained_on_original"][m], utility["trained_on_synthetic"][m]) for m in ("precision", "recall", "f1")},
        ("trained on originals", "trained on synthetic"), "NER on held-out originals", ylim=(0, 1))
    return (
        "<section><h2>Utility (downstream NER)</h2>"
        f"<table><tr><th>model</th><th>precision</th><th>recall</th><th>F1</th></tr>{rows}</table>"
        f"<p class='note'>{html.escape(utility['method'])}: {utility['train_letters']} training letters, "
        f"{utility['test_letters']} held-out originals, {utility['iterations']} passes, labels "
        f"{html.escape(', '.join(utility['labels']))}. {DEFINITIONS['utility']}.</p>"
        + _img(figure, "utility") + "</section>"
    )


def _examples_section(examples: list[Example]) -> str:
    if not examples:
        return ""
    pairs = "".join(
        f"<h3>{html.escape(e.id)}</h3><div class='pair'><div><b>original</b><pre>{html.escape(e.original)}</pre></div>"
        f"<div><b>synthetic</b><pre>{html.escape(e.synthetic)}</pre></div></div>"
        for e in examples
    )
    return f"<section><h2>Side-by-side examples</h2><div class='warn'>ORIGINAL LETTER TEXT below.</div>{pairs}</section>"


def _worst_table(title: str, rows: list[tuple[str, float]], when_empty: str = "") -> str:
    if not rows:
        return f"<div><h3 style='font-size:15px'>{html.escape(title)}</h3><p class='def'>{html.escape(when_empty)}</p></div>" if when_empty else ""
    body = "".join(f"<tr><td>{html.escape(str(i))}</td><td class='n'>{fmt(v)}</td></tr>" for i, v in rows)
    return f"<div><h3 style='font-size:15px'>{html.escape(title)}</h3><table><tr><th>letter id</th><th>value</th></tr>{body}</table></div>"
