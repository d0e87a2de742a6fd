from pathlib import Path

import pytest
from typer.testing import CliRunner

from aiguillage.cli import app
from aiguillage.datacheck import check_corpus, find_near_duplicates
from aiguillage.records import Case, CorpusError, load_cases
from aiguillage.splits import split_of, write_splits
from tests.conftest import FIXTURES, write_jsonl

GOOD = {
    "id": "x-1",
    "text": "Mon RSA n'est plus versé depuis mars, j'ai appelé la Caf deux fois.",
    "motifs": ["absence_paiement"],
    "prestations": ["rsa"],
    "recevabilite": "recevable",
    "emetteur": "allocataire",
    "urgence": False,
}


def _corpus(tmp_path: Path, records: list[dict]) -> Path:
    write_jsonl(tmp_path / "saisines" / "a.jsonl", records)
    write_splits(tmp_path, [r["id"] for r in records if isinstance(r, dict) and "id" in r])
    return tmp_path


def test_records_load_names_file_and_line(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [GOOD, {**GOOD, "id": "x-2", "motifs": ["inconnu"]}])
    with pytest.raises(CorpusError, match=r"bad.jsonl:2: unknown motif code 'inconnu'"):
        load_cases(path)


def test_datacheck_reports_every_violation(tmp_path):
    records = [
        GOOD,
        {**GOOD, "id": "x-1", "text": "Un autre texte sur la prime d'activité pas payée."},
        {**GOOD, "id": "x-3", "text": "   "},
        {**GOOD, "id": "x-4", "urgence": "oui"},
        {**GOOD, "id": "x-5", "recevabilite": "peut-etre"},
        {key: value for key, value in GOOD.items() if key != "emetteur"} | {"id": "x-6"},
    ]
    report = check_corpus(_corpus(tmp_path, records), floors=False)
    text = "\n".join(report.errors)
    assert "duplicate id 'x-1'" in text
    assert "a.jsonl:3: empty text" in text
    assert "'urgence' must be true or false" in text
    assert "unknown recevabilite code 'peut-etre'" in text
    assert "missing field 'emetteur'" in text
    assert not report.ok


def test_datacheck_floors_fail_on_a_small_corpus(tmp_path):
    report = check_corpus(_corpus(tmp_path, [GOOD]))
    assert any("at least 3000" in error for error in report.errors)
    assert any("contentieux_engage" in error for error in report.errors)


def test_datacheck_finds_near_duplicates():
    base = "Bonjour, mon aide au logement n'est plus versée depuis le mois de mars et j'ai déjà appelé deux fois."
    cases = [
        Case(id="a", text=base),
        Case(id="b", text=base.replace("deux", "trois")),
        Case(id="c", text="Je conteste la pénalité pour fraude décidée par la commission sur ma prime d'activité."),
    ]
    pairs = find_near_duplicates(cases)
    assert [(a, b) for a, b, _ in pairs] == [("a", "b")]


def test_datacheck_detects_split_drift(tmp_path):
    folder = _corpus(tmp_path, [GOOD])
    wrong = "test" if split_of("x-1") != "test" else "train"
    (folder / "splits.tsv").write_text(f"id\tsplit\nx-1\t{wrong}\n")
    report = check_corpus(folder, floors=False)
    assert any("differ from the frozen rule" in error for error in report.errors)


def test_cli_data_check_fails_cleanly_on_bad_json(tmp_path):
    folder = tmp_path / "data"
    (folder / "saisines").mkdir(parents=True)
    (folder / "saisines" / "broken.jsonl").write_text('{"id": "x-1", "text": \n')
    result = CliRunner().invoke(app, ["data", "check", "--data", str(folder), "--no-card"])
    assert result.exit_code == 1
    assert "broken.jsonl:1: not valid JSON" in result.output
    assert "Traceback" not in result.output


def test_mini_fixture_is_valid():
    report = check_corpus(FIXTURES, floors=False)
    assert [e for e in report.errors if "splits.tsv" not in e] == []


def test_splits_keep_closed_cases_out_of_the_frozen_test_split():
    ids = [f"store-{i}" for i in range(400)]
    assert {split_of(i) for i in ids} == {"train", "dev"}
    assert "test" in {split_of(f"c-{i:04d}") for i in range(400)}
