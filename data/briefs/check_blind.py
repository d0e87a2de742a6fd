"""Validate a blind annotator's labels file: every id of the texts file labelled once, with valid codes.

python data/briefs/check_blind.py /tmp/blind_texts_a.jsonl data/annotated/agreement/blind_a.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiguillage.records import label_problems


def main(texts_path: str, labels_path: str) -> int:
    wanted = [json.loads(line)["id"] for line in Path(texts_path).read_text(encoding="utf-8").splitlines() if line]
    seen: dict[str, int] = {}
    problems = []
    for number, line in enumerate(Path(labels_path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not JSON ({error.msg})")
            continue
        found = label_problems({"text": "x", **record})
        problems += [f"line {number} {record.get('id')}: {p}" for p in found]
        if record.get("id") in seen:
            problems.append(f"line {number}: {record.get('id')} labelled twice")
        seen[record.get("id")] = number
    missing = [case_id for case_id in wanted if case_id not in seen]
    extra = [case_id for case_id in seen if case_id not in wanted]
    for problem in problems:
        print(problem)
    print(f"{len(seen)} labelled, {len(missing)} still to label, {len(extra)} unknown ids, {len(problems)} problems")
    return 1 if problems or extra else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
