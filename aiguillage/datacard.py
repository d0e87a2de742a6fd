"""Write the data card: counts, shares, lengths, splits, slices and agreement of the corpus."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from aiguillage.agreement import read_agreement
from aiguillage.datacheck import CheckReport, length_summary
from aiguillage.splits import SPLITS, split_of
from aiguillage.taxonomy import EMETTEUR, MOTIFS, PRESTATIONS, RECEVABILITE, Head

DATA_CARD = "DATA_CARD.md"


def _share_table(head: Head, counter: Counter, total: int) -> list[str]:
    rows = [f"| `{head.name}` code | libellé | cases | share |", "|---|---|---:|---:|"]
    rows += [
        f"| `{code}` | {head.libelle_of(code)} | {counter[code]} | {counter[code] / total:.1%} |" for code in head.codes
    ]
    return rows


def render_data_card(report: CheckReport, data_dir: Path) -> str:
    cases = report.cases
    total = max(len(cases), 1)
    lines = [
        "# Data card: annotated saisines",
        "",
        "Written by `aiguillage data check`; do not edit by hand.",
        "",
        f"- Cases: **{len(cases)}** in {len(report.files)} files; all fictitious, each written individually "
        "(see `data/briefs/WRITERS.md`).",
        f"- Hors médiation: {sum(c.recevabilite != 'recevable' for c in cases) / total:.1%}; "
        f"urgent: {sum(c.urgence for c in cases)} ({sum(c.urgence for c in cases) / total:.1%}); "
        f"two or more motifs: {sum(len(c.motifs) >= 2 for c in cases) / total:.1%}; "
        f"no motif: {sum(not c.motifs for c in cases) / total:.1%}.",
        f"- Near-duplicate pairs (char 3-5-gram cosine >= 0.8): {len(report.near_duplicates)}.",
        "",
        "## Labels",
        "",
    ]
    for head, counter in (
        (RECEVABILITE, Counter(c.recevabilite for c in cases)),
        (MOTIFS, Counter(code for c in cases for code in c.motifs)),
        (PRESTATIONS, Counter(code for c in cases for code in c.prestations)),
        (EMETTEUR, Counter(c.emetteur for c in cases)),
    ):
        lines += [*_share_table(head, counter, total), ""]
    lengths = length_summary(cases)
    channels = Counter(c.channel or "unknown" for c in cases)
    splits = Counter(split_of(c.id) for c in cases)
    lines += [
        "## Texts",
        "",
        f"Length in words: min {lengths['min']}, median {lengths['median']:.0f}, "
        f"90th percentile {lengths['p90']:.0f}, max {lengths['max']}.",
        "",
        "Channels: " + ", ".join(f"{name} {count} ({count / total:.0%})" for name, count in channels.most_common()),
        "",
        "## Frozen split",
        "",
        "Assigned from a hash of the id (`aiguillage/splits.py`), recorded in `splits.tsv`; the test split is "
        "never used for any choice.",
        "",
        "| split | cases |",
        "|---|---:|",
        *(f"| {name} | {splits[name]} |" for name in SPLITS),
        "",
        "## Slices (what the writers were asked to exercise)",
        "",
        "| tag | cases |",
        "|---|---:|",
        *(f"| `{tag}` | {count} |" for tag, count in sorted(Counter(t for c in cases for t in c.tags).items())),
        "",
    ]
    lines += _agreement_section(data_dir)
    lines += _changes_section(data_dir, total)
    if report.near_duplicates:
        lines += ["## Near-duplicate pairs", "", "| a | b | similarity |", "|---|---|---:|"]
        lines += [f"| {a} | {b} | {s:.3f} |" for a, b, s in report.near_duplicates[:30]]
        lines.append("")
    return "\n".join(lines)


def _agreement_section(data_dir: Path) -> list[str]:
    recorded = read_agreement(data_dir)
    lines = ["## Inter-annotator agreement", ""]
    if not recorded:
        return [*lines, "No blind second annotation recorded yet.", ""]
    lines += [
        "A second annotator who did not write the texts labelled a random 10% sample blind, from "
        "`GUIDE.md` alone (`agreement/blind.jsonl`). Kappa is Cohen's; for multi-label fields it is computed "
        "over every (case, label) decision, with micro-F1 beside it.",
        "",
    ]
    for stage, rows in recorded.items():
        lines += [
            f"### {stage}",
            "",
            "| field | n | observed | Cohen's kappa | micro-F1 |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in rows:
            f1 = "" if row.get("micro_f1") is None else f"{row['micro_f1']:.3f}"
            lines.append(f"| {row['field']} | {row['n']} | {row['observed']:.3f} | {row['kappa']:.3f} | {f1} |")
        lines.append("")
    notes = data_dir / "agreement" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").strip(), ""]
    return lines


def _changes_section(data_dir: Path, total: int) -> list[str]:
    """How many labels adjudication and review changed, by source and field (from CHANGES.jsonl)."""
    path = data_dir / "CHANGES.jsonl"
    if not path.exists():
        return []
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    by_source: dict[str, set[str]] = {}
    fields: Counter = Counter()
    for entry in entries:
        by_source.setdefault(entry["source"], set()).add(entry["id"])
        fields[(entry["source"], entry["field"])] += 1
    lines = [
        "## Label corrections",
        "",
        "Every change after writing is logged in `CHANGES.jsonl` (id, field, before, after, why).",
        "",
    ]
    lines += ["| source | cases changed | field | fields changed |", "|---|---:|---|---:|"]
    for (source, field), count in sorted(fields.items()):
        lines.append(f"| {source} | {len(by_source[source])} | {field} | {count} |")
    changed = {entry["id"] for entry in entries}
    lines += ["", f"{len(changed)} cases ({len(changed) / max(total, 1):.0%}) carry at least one corrected label.", ""]
    return lines


def write_data_card(report: CheckReport, data_dir: Path) -> Path:
    path = data_dir / DATA_CARD
    path.write_text(render_data_card(report, data_dir), encoding="utf-8")
    return path
