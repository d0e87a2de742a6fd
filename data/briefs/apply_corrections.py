"""Apply human label corrections (adjudication, review) to the corpus files and log every change.

Each correction line is {"id", "final": {five label fields}, "why", ...}. Only labels change,
never texts. Every changed field is appended to data/annotated/CHANGES.jsonl with its source.

    python data/briefs/apply_corrections.py --source "adjudication" /tmp/adjudicated_1.jsonl ...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from aiguillage.records import LABEL_FIELDS, label_problems  # noqa: E402

CORPUS = ROOT / "data" / "annotated" / "saisines"
CHANGES = ROOT / "data" / "annotated" / "CHANGES.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    corrections: dict[str, dict] = {}
    for path in args.files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            entry = json.loads(line)
            final = {key: entry["final"][key] for key in LABEL_FIELDS}
            final["motifs"] = sorted(set(final["motifs"]))
            final["prestations"] = sorted(set(final["prestations"]))
            problems = label_problems({"id": entry["id"], "text": "-", **final})
            if problems:
                print(f"{path}:{number} {entry['id']}: {'; '.join(problems)} (skipped)")
                continue
            corrections[entry["id"]] = {"final": final, "why": entry.get("why", ""), "cause": entry.get("cause")}
    changed_cases = changed_fields = 0
    log = []
    for corpus_file in sorted(CORPUS.glob("*.jsonl")):
        records = [json.loads(line) for line in corpus_file.read_text(encoding="utf-8").splitlines() if line]
        dirty = False
        for record in records:
            correction = corrections.pop(record["id"], None)
            if correction is None:
                continue
            fields = [f for f in LABEL_FIELDS if _normal(record[f]) != _normal(correction["final"][f])]
            for field in fields:
                log.append(
                    {
                        "id": record["id"],
                        "field": field,
                        "before": record[field],
                        "after": correction["final"][field],
                        "source": args.source,
                        "cause": correction["cause"],
                        "why": correction["why"],
                    }
                )
                record[field] = correction["final"][field]
            if fields:
                changed_cases += 1
                changed_fields += len(fields)
                dirty = True
        if dirty:
            corpus_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with CHANGES.open("a", encoding="utf-8") as handle:
        handle.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in log)
    for unknown in corrections:
        print(f"unknown id {unknown} (skipped)")
    print(f"{args.source}: {changed_cases} cases and {changed_fields} fields changed")
    return 0


def _normal(value: object) -> object:
    return sorted(value) if isinstance(value, list) else value


if __name__ == "__main__":
    sys.exit(main())
