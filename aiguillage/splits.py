"""The frozen train / dev / test split: assigned from the case id alone, recorded with the data."""

from __future__ import annotations

import hashlib
from pathlib import Path

SPLITS = ("train", "dev", "test")
SPLIT_FILE = "splits.tsv"


CORPUS_PREFIX = "c-"


def split_of(case_id: str) -> str:
    """Assign a split from a hash of the id: 70% train, 15% dev, 15% test, stable forever.

    Only corpus cases (ids ``c-...``) can be test: closed cases from the case store train or tune,
    so every model version is measured on the same frozen test split.
    """
    bucket = int(hashlib.sha256(case_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < 70:
        return "train"
    if bucket < 85:
        return "dev"
    return "test" if case_id.startswith(CORPUS_PREFIX) else "train"


def read_splits(data_dir: Path) -> dict[str, str]:
    path = data_dir / SPLIT_FILE
    if not path.exists():
        return {}
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip())
    return {case_id: split for case_id, split in rows}


def write_splits(data_dir: Path, case_ids: list[str]) -> None:
    """Record the split of every id (existing assignments are never changed)."""
    splits = read_splits(data_dir)
    for case_id in case_ids:
        splits.setdefault(case_id, split_of(case_id))
    lines = ["id\tsplit", *(f"{case_id}\t{splits[case_id]}" for case_id in sorted(splits))]
    (data_dir / SPLIT_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
