"""Agreement between the corpus labels and a blind second annotation of a sample."""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, f1_score

from aiguillage.records import Case, load_cases
from aiguillage.taxonomy import MOTIFS, PRESTATIONS

AGREEMENT_DIR = "agreement"


@dataclass(frozen=True)
class FieldAgreement:
    field: str
    n: int
    observed: float
    kappa: float
    micro_f1: float | None = None


def draw_sample(cases: list[Case], share: float = 0.1, seed: int = 2026) -> list[Case]:
    """A seeded random sample for blind second annotation."""
    rng = random.Random(seed)
    return sorted(rng.sample(cases, round(len(cases) * share)), key=lambda case: case.id)


def _multi_label_agreement(name: str, codes: tuple[str, ...], first: list[Case], second: list[Case]) -> FieldAgreement:
    def matrix(cases: list[Case]) -> list[list[int]]:
        return [[int(code in getattr(case, name)) for code in codes] for case in cases]

    a, b = matrix(first), matrix(second)
    flat_a = [value for row in a for value in row]
    flat_b = [value for row in b for value in row]
    exact = sum(row_a == row_b for row_a, row_b in zip(a, b, strict=True)) / len(a)
    return FieldAgreement(
        field=name,
        n=len(a),
        observed=round(exact, 3),
        kappa=round(float(cohen_kappa_score(flat_a, flat_b)), 3),
        micro_f1=round(float(f1_score(a, b, average="micro", zero_division=0)), 3),
    )


def _single_label_agreement(name: str, first: list[Case], second: list[Case]) -> FieldAgreement:
    a = [str(getattr(case, name)) for case in first]
    b = [str(getattr(case, name)) for case in second]
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    return FieldAgreement(name, len(a), round(observed, 3), round(float(cohen_kappa_score(a, b)), 3))


def compute_agreement(corpus: list[Case], blind: list[Case]) -> list[FieldAgreement]:
    """Per field: observed agreement, Cohen's kappa, and micro-F1 for the multi-label fields."""
    by_id = {case.id: case for case in corpus}
    second = [case for case in blind if case.id in by_id]
    first = [by_id[case.id] for case in second]
    if not first:
        raise ValueError("the blind annotation shares no id with the corpus")
    return [
        _multi_label_agreement("motifs", MOTIFS.codes, first, second),
        _multi_label_agreement("prestations", PRESTATIONS.codes, first, second),
        _single_label_agreement("recevabilite", first, second),
        _single_label_agreement("emetteur", first, second),
        _single_label_agreement("urgence", first, second),
    ]


def write_agreement(data_dir: Path, corpus: list[Case], *, stage: str) -> list[FieldAgreement]:
    """Compare ``agreement/blind.jsonl`` with the corpus and record the figures under ``stage``."""
    folder = data_dir / AGREEMENT_DIR
    results = compute_agreement(corpus, load_cases(folder / "blind.jsonl"))
    path = folder / "agreement.json"
    recorded = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    recorded[stage] = [asdict(result) for result in results]
    path.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def read_agreement(data_dir: Path) -> dict[str, list[dict]]:
    path = data_dir / AGREEMENT_DIR / "agreement.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
