"""Validate the annotated corpus and describe it: ``aiguillage data check``."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from aiguillage.records import Case, case_from_record, corpus_files, iter_records, label_problems
from aiguillage.splits import SPLITS, read_splits, split_of
from aiguillage.taxonomy import EMETTEUR, MOTIFS, PRESTATIONS, RECEVABILITE

MIN_CASES = 3000
FLOORS = {"motifs": 60, "prestations": 60, "recevabilite": 100, "emetteur": 60, "urgence": 100}
NEAR_DUPLICATE_SIMILARITY = 0.8
MAX_NEAR_DUPLICATE_SHARE = 0.01


@dataclass
class CheckReport:
    cases: list[Case] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalised_for_duplicates(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def find_near_duplicates(
    cases: list[Case], threshold: float = NEAR_DUPLICATE_SIMILARITY
) -> list[tuple[str, str, float]]:
    """Pairs of cases whose character 3-5-gram TF-IDF cosine similarity reaches the threshold."""
    if len(cases) < 2:
        return []
    texts = [normalised_for_duplicates(case.text) for case in cases]
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=1, sublinear_tf=True).fit_transform(texts)
    neighbours = NearestNeighbors(n_neighbors=min(6, len(cases)), metric="cosine").fit(matrix)
    distances, indices = neighbours.kneighbors(matrix)
    pairs: dict[tuple[str, str], float] = {}
    for row, (row_distances, row_indices) in enumerate(zip(distances, indices, strict=True)):
        for distance, other in zip(row_distances, row_indices, strict=True):
            similarity = 1.0 - float(distance)
            if other != row and similarity >= threshold:
                key = tuple(sorted((cases[row].id, cases[other].id)))
                pairs[key] = round(similarity, 3)  # type: ignore[index]
    return sorted(((a, b, s) for (a, b), s in pairs.items()), key=lambda pair: -pair[2])


def check_floors(cases: list[Case]) -> list[str]:
    errors = []
    if len(cases) < MIN_CASES:
        errors.append(f"only {len(cases)} cases, at least {MIN_CASES} are needed")
    for head, counter in (
        (MOTIFS, Counter(code for case in cases for code in case.motifs)),
        (PRESTATIONS, Counter(code for case in cases for code in case.prestations)),
        (RECEVABILITE, Counter(case.recevabilite for case in cases)),
        (EMETTEUR, Counter(case.emetteur for case in cases)),
    ):
        floor = FLOORS[head.name]
        errors += [
            f"{head.name} {code!r}: {counter[code]} cases, floor is {floor}"
            for code in head.codes
            if counter[code] < floor
        ]
    urgent = sum(case.urgence for case in cases)
    if urgent < FLOORS["urgence"]:
        errors.append(f"urgence: {urgent} urgent cases, floor is {FLOORS['urgence']}")
    return errors


def check_splits(data_dir: Path, cases: list[Case]) -> list[str]:
    recorded = read_splits(data_dir)
    if not recorded:
        return [f"{data_dir / 'splits.tsv'}: missing; run `aiguillage data split` to record the frozen split"]
    errors = []
    missing = [case.id for case in cases if case.id not in recorded]
    if missing:
        errors.append(f"{len(missing)} cases have no recorded split (first: {missing[0]}); run `aiguillage data split`")
    changed = [case_id for case_id, split in recorded.items() if split not in SPLITS or split != split_of(case_id)]
    if changed:
        errors.append(f"{len(changed)} recorded splits differ from the frozen rule (first: {changed[0]})")
    return errors


def check_corpus(data_dir: Path, *, floors: bool = True) -> CheckReport:
    """Read every corpus file, collecting every problem instead of stopping at the first."""
    report = CheckReport(files=corpus_files(data_dir))
    if not report.files:
        report.errors.append(f"{data_dir}: no corpus file (*.jsonl) found")
        return report
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for path in report.files:
        for number, record, error in iter_records(path):
            where = f"{path}:{number}"
            problems = [error] if error else label_problems(record)  # type: ignore[arg-type]
            if problems:
                report.errors += [f"{where}: {problem}" for problem in problems]
                continue
            case = case_from_record(record)  # type: ignore[arg-type]
            if case.id in ids:
                report.errors.append(f"{where}: duplicate id {case.id!r} (first at {ids[case.id]})")
                continue
            ids[case.id] = where
            key = normalised_for_duplicates(case.text)
            if key in texts:
                report.errors.append(f"{where}: text of {case.id!r} is identical to {texts[key]!r}")
            texts[key] = case.id
            report.cases.append(case)
    if floors:
        report.errors += check_floors(report.cases)
    report.errors += check_splits(data_dir, report.cases)
    report.near_duplicates = find_near_duplicates(report.cases)
    in_pairs = {case_id for a, b, _ in report.near_duplicates for case_id in (a, b)}
    share = len(in_pairs) / max(len(report.cases), 1)
    message = (
        f"{len(in_pairs)} cases ({share:.1%}) are in a near-duplicate pair "
        f"(similarity >= {NEAR_DUPLICATE_SIMILARITY}); the limit is {MAX_NEAR_DUPLICATE_SHARE:.0%}"
    )
    (report.errors if share >= MAX_NEAR_DUPLICATE_SHARE else report.warnings).append(message)
    return report


def word_count(text: str) -> int:
    return len(text.split())


def length_summary(cases: list[Case]) -> dict[str, float]:
    lengths = sorted(word_count(case.text) for case in cases) or [0]
    return {
        "min": lengths[0],
        "median": statistics.median(lengths),
        "p90": float(np.percentile(lengths, 90)),
        "max": lengths[-1],
    }
