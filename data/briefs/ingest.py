"""Turn a writer's hand-written drafts into the corpus file, validating each entry.

Drafts live in ``data/briefs/drafts/wNN/*.txt``; each entry is::

    === c-0001
    {"motifs": [...], "prestations": [...], "recevabilite": "...", "emetteur": "...", "urgence": false}
    The saisine, as written, on as many lines as it needs.

The channel and the brief's difficulty tags are copied from the brief (``wNN.jsonl``).
Writes ``data/annotated/saisines/wNN.jsonl`` and prints one line per problem.

    python data/briefs/ingest.py w01
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from aiguillage.records import label_problems  # noqa: E402
from aiguillage.taxonomy import CHANNELS  # noqa: E402

BRIEFS = Path(__file__).parent

# Slice tags for evaluation, derived from the brief's wording (first matching fragment wins per list).
TAG_FRAGMENTS = [
    ("premier contact", "no_prior_contact"),
    ("même jour", "same_day_reclamation"),
    ("directement au médiateur", "direct_to_mediator"),
    ("plainte vive", "complaint_without_step"),
    ("accélérer", "speed_up_request"),
    ("démarche préalable explicite", "prior_step_explicit"),
    ("mentionnée en passant", "prior_step_in_passing"),
    ("réponse de la Caf contestée", "caf_answer_contested"),
    ("plusieurs relances", "several_reminders"),
    ("simple question", "plain_question"),
    ("envoi d'un justificatif", "document_sent"),
    ("changement de situation", "change_declared"),
    ("attestation", "access_request"),
    ("tribunal judiciaire", "court_case"),
    ("tribunal administratif", "court_case"),
    ("avocat", "court_case"),
    ("procédure judiciaire", "court_case_in_passing"),
    ("prestation implicite", "implicit_benefit"),
    ("négation", "negation"),
    ("fausse urgence", "false_urgency"),
    ("réforme", "reform"),
]
HORS_CHAMP_TAGS = [
    ("CPAM", "lookalike_cpam"),
    ("France Travail", "lookalike_france_travail"),
    ("MDPH", "lookalike_mdph"),
    ("impôts", "lookalike_impots"),
    ("bailleur", "private_landlord"),
    ("autre parent", "private_other_parent"),
    ("retraite", "lookalike_retraite_msa"),
    ("sanction RSA", "rsa_departement"),
    ("politique", "political_mail"),
    ("aide collective", "collective_aid"),
]
VOICE_TAGS = [
    ("SMS", "voice_sms"),
    ("MAJUSCULES", "voice_caps"),
    ("non natif", "voice_non_native"),
    ("lettre formelle", "voice_formal_letter"),
    ("personne âgée", "voice_elderly"),
    ("énervé", "voice_angry"),
    ("travailleur social", "voice_social_worker"),
    ("désordonné", "voice_rambling"),
    ("téléprocédure", "voice_form_field"),
    ("jeune", "voice_young"),
    ("institution", "voice_institutional"),
    ("dictée vocale", "voice_dictation"),
    ("structuré", "voice_structured"),
    ("courriel simple", "voice_plain"),
]
LENGTH_TAGS = [("une à deux", "len_one_line"), ("court", "len_short"), ("moyen", "len_medium"), ("long", "len_long")]


def brief_tags(brief: dict) -> list[str]:
    """Evaluation slices this saisine was written to exercise."""
    tags = []
    for difficulty in brief.get("difficultes", []):
        tags += [tag for fragment, tag in TAG_FRAGMENTS if fragment in difficulty][:1]
    if "hors_champ" in brief:
        tags += [tag for fragment, tag in HORS_CHAMP_TAGS if fragment in brief["hors_champ"]][:1]
    tags += [tag for fragment, tag in VOICE_TAGS if fragment in brief.get("voix", "")][:1]
    tags += [tag for fragment, tag in LENGTH_TAGS if brief.get("longueur", "").startswith(fragment)][:1]
    if brief.get("identifiants_a_inclure"):
        tags.append("pii")
    return sorted(set(tags))


LABEL_KEYS = {"motifs", "prestations", "recevabilite", "emetteur", "urgence"}


def parse_drafts(writer: str) -> list[tuple[str, str, int, str, str]]:
    """Return (id, labels-json, line number, file name, text) for every draft entry."""
    entries = []
    for path in sorted((BRIEFS / "drafts" / writer).glob("*.txt")):
        current: list[str] | None = None
        header: tuple[str, int] | None = None
        for number, line in enumerate([*path.read_text(encoding="utf-8").splitlines(), "=== END"], start=1):
            if line.startswith("=== "):
                if header is not None and current is not None:
                    labels = current[0] if current else ""
                    text = "\n".join(current[1:]).strip()
                    entries.append((header[0], labels, header[1], path.name, text))
                header = (line[4:].strip(), number)
                current = []
            elif current is not None:
                if not current and not line.strip():
                    continue
                current.append(line)
    return entries


def validate(labels: dict) -> list[str]:
    if set(labels) != LABEL_KEYS:
        return [f"label keys must be exactly {sorted(LABEL_KEYS)}"]
    return label_problems({"id": "draft", "text": "-", **labels})


def main(writer: str) -> int:
    briefs = {
        spec["id"]: spec
        for spec in map(json.loads, (BRIEFS / f"{writer}.jsonl").read_text(encoding="utf-8").splitlines())
    }
    records, problems, seen = [], [], set()
    for case_id, raw_labels, line, file_name, text in parse_drafts(writer):
        where = f"{file_name}:{line} {case_id}"
        if case_id not in briefs:
            problems.append(f"{where}: id not in brief {writer}")
            continue
        if case_id in seen:
            problems.append(f"{where}: id written twice")
            continue
        try:
            labels = json.loads(raw_labels)
        except json.JSONDecodeError as error:
            problems.append(f"{where}: labels line is not JSON ({error})")
            continue
        entry_problems = validate(labels) + ([] if text else ["empty text"])
        if entry_problems:
            problems.extend(f"{where}: {p}" for p in entry_problems)
            continue
        seen.add(case_id)
        brief = briefs[case_id]
        channel = brief["canal"] if brief["canal"] in CHANNELS else "courriel"
        record = {"id": case_id, "text": text, **labels, "channel": channel, "writer": writer}
        records.append({**record, "tags": brief_tags(brief)})
    out = ROOT / "data" / "annotated" / "saisines" / f"{writer}.jsonl"
    changes = ROOT / "data" / "annotated" / "CHANGES.jsonl"
    corrected = (
        {json.loads(line)["id"] for line in changes.read_text(encoding="utf-8").splitlines() if line}
        if changes.exists()
        else set()
    )
    if out.exists() and corrected & set(briefs):
        print(f"{out.relative_to(ROOT)} carries logged label corrections (CHANGES.jsonl): not overwritten from drafts")
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    records.sort(key=lambda r: r["id"])
    partial = out.with_suffix(".jsonl.partial")
    partial.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    partial.replace(out)
    for problem in problems:
        print(problem)
    missing = len(briefs) - len(records)
    print(
        f"{writer}: {len(records)} saisines written to {out.relative_to(ROOT)}, {missing} still to write, {len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
