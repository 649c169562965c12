"""PHI evaluation: token-level metrics as DESIGN.md defines them, gold loaders, the two commands, dev sets."""

from __future__ import annotations

import json

from pathlib import Path

import pytest

from syndeid.cli import main
from syndeid.phi.evaluation import GoldDocument, load_gold, load_gold_documents, load_predictions, score
from syndeid.records import Span

from conftest import SHARED_DATA, needs_shared

TEXT = "Seen by Dr. Kernan on 7/22/2019 in 2019. Call 555-123-4567."
#       0123456789012345678901234567890123456789012345678901234567890
GOLD = [Span(12, 18, "DOCTOR"), Span(22, 31, "DATE"), Span(35, 39, "DATE"), Span(46, 58, "PHONE")]


def test_perfect_prediction_scores_one():
    result = score({"a": GoldDocument(TEXT, GOLD)}, {"a": [Span(12, 18, "NAME"), Span(22, 31, "DATE"), Span(35, 39, "DATE"), Span(46, 58, "CONTACT")]})
    assert result["overall"]["recall"] == 1.0 and result["overall"]["precision"] == 1.0
    assert result["overall"]["gold_tokens"] == 1 + 3 + 1 + 3


def test_a_token_is_recalled_only_when_covered_entirely():
    partial = [Span(46, 50, "CONTACT")]  # "555-" covers one of the phone's three tokens
    result = score({"a": GoldDocument(TEXT, [Span(46, 58, "PHONE")])}, {"a": partial})
    assert result["overall"]["recalled_tokens"] == 1 and result["overall"]["gold_tokens"] == 3


def test_hipaa_only_drops_clinician_names_and_bare_years():
    result = score({"a": GoldDocument(TEXT, GOLD)}, {"a": [Span(22, 31, "DATE"), Span(46, 58, "CONTACT")]})
    assert result["overall"]["recall"] == pytest.approx(6 / 8)
    assert result["hipaa"]["gold_tokens"] == 6 and result["hipaa"]["recall"] == 1.0
    # A prediction on a doctor's name is neither right nor wrong for HIPAA-only precision.
    with_doctor = score({"a": GoldDocument(TEXT, GOLD)}, {"a": [Span(12, 18, "NAME")]})
    assert with_doctor["hipaa"]["predicted_tokens"] == 0 and with_doctor["overall"]["precision"] == 1.0


def test_a_shifted_year_alone_is_a_bare_year_too():
    from syndeid.phi.evaluation import is_hipaa

    text = "Seen in 2101 and on 3/4/2101."
    assert not is_hipaa(text, Span(8, 12, "DATE"))
    assert is_hipaa(text, Span(20, 28, "DATE"))


def test_precision_counts_predicted_tokens_that_are_not_phi():
    result = score({"a": GoldDocument(TEXT, GOLD)}, {"a": [Span(0, 4, "NAME"), Span(12, 18, "NAME")]})
    assert result["overall"]["precision"] == 0.5
    assert result["categories"]["NAME"]["precision"] == 0.5 and result["categories"]["NAME"]["recall"] == 1.0


def test_scoring_within_categories_ignores_the_others():
    names_only = [Span(12, 18, "DOCTOR")]  # gold that labels names only
    predicted = [Span(12, 18, "NAME"), Span(22, 31, "DATE")]
    everything = score({"a": GoldDocument(TEXT, names_only)}, {"a": predicted})
    assert everything["overall"]["precision"] == pytest.approx(1 / 4)
    within = score({"a": GoldDocument(TEXT, names_only)}, {"a": predicted}, categories=["NAME"])
    assert within["overall"]["precision"] == 1.0 and within["overall"]["predicted_tokens"] == 1
    assert within["overall"]["recall"] == 1.0
    with pytest.raises(ValueError, match="unknown PHI categories"):
        score({"a": GoldDocument(TEXT, names_only)}, {"a": predicted}, categories=["PERSON"])


def test_letters_without_prediction_count_as_missed():
    result = score({"a": GoldDocument(TEXT, GOLD)}, {})
    assert result["letters_without_prediction"] == 1 and result["overall"]["recall"] == 0.0


def test_loaders(tmp_path):
    (tmp_path / "gold.jsonl").write_text(json.dumps({"id": "a", "text": TEXT, "spans": [[12, 18, "DOCTOR"], {"start": 22, "end": 31, "label": "DATE"}]}) + "\n")
    assert load_gold(tmp_path / "gold.jsonl") == {"a": [Span(12, 18, "DOCTOR"), Span(22, 31, "DATE")]}
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "n1.txt").write_text(TEXT)
    (brat / "n1.ann").write_text("T1\tNOMBRE_PERSONAL_SANITARIO 12 18\tKernan\nT2\tFECHAS 22 26;27 31\t7/22 2019\n#1\tnote\n")
    assert load_gold_documents(brat)["n1"].spans == [Span(12, 18, "NOMBRE_PERSONAL_SANITARIO"), Span(22, 26, "FECHAS"), Span(27, 31, "FECHAS")]
    xml = tmp_path / "110-01.xml"
    xml.write_text(
        '<?xml version="1.0"?><deIdi2b2><TEXT><![CDATA[' + TEXT + ']]></TEXT><TAGS>'
        '<NAME id="P0" start="12" end="18" text="Kernan" TYPE="DOCTOR"/><DATE id="P1" start="22" end="31" TYPE="DATE"/>'
        "</TAGS></deIdi2b2>"
    )
    document = load_gold_documents(xml)["110-01"]
    assert document.text == TEXT and document.spans == [Span(12, 18, "DOCTOR"), Span(22, 31, "DATE")]
    inline = tmp_path / "inline.xml"
    inline.write_text('<ROOT><RECORD ID="7"><TEXT>Seen by <PHI TYPE="DOCTOR">Kernan</PHI> today.</TEXT></RECORD></ROOT>')
    assert load_gold_documents(inline)["7"] == GoldDocument("Seen by Kernan today.", [Span(8, 14, "DOCTOR")])


def test_phi_and_evaluate_phi_commands(tmp_path, capsys):
    letters = tmp_path / "letters.jsonl"
    letters.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n" + json.dumps({"id": "b", "text": ""}) + "\n")
    pred = tmp_path / "pred.jsonl"
    assert main(["phi", str(letters), str(pred)]) == 0
    lines = [json.loads(line) for line in pred.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a"]  # the empty letter is rejected by the reader, not written
    assert all(isinstance(s, list) and len(s) == 3 for s in lines[0]["spans"])
    assert load_predictions(pred)["a"]
    summary = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert summary["letters"] == 1 and summary["rows_rejected"] == 1
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": TEXT, "spans": [[s.start, s.end, s.label] for s in GOLD]}) + "\n")
    assert main(["evaluate-phi", "--gold", str(gold), "--pred", str(pred)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["hipaa"]["recall"] == 1.0
    assert "Kernan" not in json.dumps(result)  # counts only, never text
    assert main(["evaluate-phi", "--gold", str(gold), "--pred", str(pred), "--categories", "date,contact"]) == 0
    within = json.loads(capsys.readouterr().out)
    assert set(within["categories"]) <= {"DATE", "CONTACT"} and within["hipaa"]["recall"] == 1.0
    with pytest.raises(SystemExit):
        main(["evaluate-phi", "--gold", str(gold), "--pred", str(pred), "--categories", "PERSON"])
    assert "choose categories" in capsys.readouterr().err


@needs_shared
def test_devsets_are_reproducible_and_aligned(tmp_path):
    from syndeid.phi.devsets import build_devsets

    first = build_devsets(SHARED_DATA, tmp_path / "one", seed=3, letters=12)
    second = build_devsets(SHARED_DATA, tmp_path / "two", seed=3, letters=12)
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name
    injected = [json.loads(line) for line in first["mtsamples-injected"].read_text().splitlines()]
    assert len(injected) == 12 and all(record["spans"] for record in injected)
    styles = {record["id"].rsplit("-", 1)[-1] for record in injected}
    assert {"upper", "lower", "nursing"} <= styles
    for record in injected:
        for start, end, _ in record["spans"]:
            value = record["text"][start:end]
            assert value == value.strip() and value


PROBE_SETS = sorted((Path(__file__).resolve().parents[1] / "benchmarks" / "phi_probes").glob("*.jsonl"))


def test_every_record_probe_set_is_found():
    assert {"heldout", "heldout2", "tuning", "tuning26"} <= {path.stem for path in PROBE_SETS}


@pytest.mark.parametrize("path", PROBE_SETS, ids=lambda path: path.stem)
def test_record_probe_sets_are_well_formed_gold(path):
    from syndeid.phi.evaluation import CATEGORY_OF, load_gold_documents

    documents = load_gold_documents(path)
    assert len(documents) >= 30
    for document in documents.values():
        spans = sorted(document.spans)
        assert all(0 <= s.start < s.end <= len(document.text) for s in spans)
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
        assert all(s.label.upper() in CATEGORY_OF for s in spans)


def test_every_i2b2_2014_subtype_has_its_category():
    from syndeid.phi.evaluation import category

    i2b2 = {
        "NAME": "PATIENT DOCTOR USERNAME", "AGE": "AGE", "DATE": "DATE",
        "LOCATION": "ROOM DEPARTMENT HOSPITAL ORGANIZATION STREET CITY STATE COUNTRY ZIP LOCATION-OTHER",
        "CONTACT": "PHONE FAX EMAIL URL", "ID": "SSN MEDICALRECORD HEALTHPLAN ACCOUNT LICENSE VEHICLE DEVICE BIOID IDNUM",
        "OTHER": "PROFESSION",
    }
    assert {sub: category(sub) for cat, subs in i2b2.items() for sub in subs.split()} == {
        sub: cat for cat, subs in i2b2.items() for sub in subs.split()
    }
