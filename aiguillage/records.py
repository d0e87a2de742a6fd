"""Labelled saisines (``TAXONOMY.md`` case format) and their loading from JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aiguillage.taxonomy import CHANNELS, EMETTEUR, MOTIFS, PRESTATIONS, RECEVABILITE

LABEL_FIELDS = ("motifs", "prestations", "recevabilite", "emetteur", "urgence")
OPTIONAL_FIELDS = ("channel", "writer", "tags", "received_at")


class CorpusError(ValueError):
    """A corpus file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    motifs: tuple[str, ...] = ()
    prestations: tuple[str, ...] = ()
    recevabilite: str = ""
    emetteur: str = ""
    urgence: bool = False
    channel: str = ""
    tags: tuple[str, ...] = field(default=())

    def labels(self) -> dict[str, object]:
        return {
            "motifs": list(self.motifs),
            "prestations": list(self.prestations),
            "recevabilite": self.recevabilite,
            "emetteur": self.emetteur,
            "urgence": self.urgence,
        }


def label_problems(record: dict) -> list[str]:
    """Say what is wrong with one record's fields and codes (empty when it is valid)."""
    problems = []
    for key in ("id", "text", *LABEL_FIELDS):
        if key not in record:
            problems.append(f"missing field {key!r}")
    if problems:
        return problems
    if not isinstance(record["id"], str) or not record["id"].strip():
        problems.append("'id' must be a non-empty string")
    if not isinstance(record["text"], str):
        problems.append("'text' must be a string")
    elif not record["text"].strip():
        problems.append("empty text")
    for name, head in (("motifs", MOTIFS), ("prestations", PRESTATIONS)):
        value = record[name]
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            problems.append(f"{name!r} must be a list of codes")
            continue
        problems += [f"unknown {name[:-1]} code {code!r}" for code in value if code not in head.codes]
        if len(set(value)) != len(value):
            problems.append(f"{name!r} repeats a code")
    for name, head in (("recevabilite", RECEVABILITE), ("emetteur", EMETTEUR)):
        value = record[name]
        if not isinstance(value, str):
            problems.append(f"{name!r} must be a string code")
        elif value not in head.codes:
            problems.append(f"unknown {name} code {value!r}")
    if not isinstance(record["urgence"], bool):
        problems.append("'urgence' must be true or false")
    if "channel" in record and record["channel"] not in CHANNELS:
        problems.append(f"unknown channel {record['channel']!r}")
    unknown = set(record) - {"id", "text", *LABEL_FIELDS, *OPTIONAL_FIELDS}
    if unknown:
        problems.append(f"unknown fields {sorted(unknown)}")
    return problems


def case_from_record(record: dict) -> Case:
    return Case(
        id=record["id"],
        text=record["text"],
        motifs=tuple(record["motifs"]),
        prestations=tuple(record["prestations"]),
        recevabilite=record["recevabilite"],
        emetteur=record["emetteur"],
        urgence=record["urgence"],
        channel=record.get("channel", ""),
        tags=tuple(record.get("tags", ())),
    )


def iter_records(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """Yield (line number, record or None, error or None) for every non-blank line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, None, f"not valid JSON ({error.msg} at column {error.colno})"
                continue
            if not isinstance(record, dict):
                yield number, None, "a line must be a JSON object"
                continue
            yield number, record, None


def corpus_files(data_dir: Path) -> list[Path]:
    """The corpus files of a data directory (its ``saisines/`` folder when it has one), in a stable order."""
    folder = data_dir / "saisines" if (data_dir / "saisines").is_dir() else data_dir
    return sorted(path for path in folder.glob("*.jsonl") if path.is_file())


def load_cases(path: Path) -> list[Case]:
    """Load one labelled JSON Lines file or every ``*.jsonl`` under a directory; fail on the first bad line."""
    files = corpus_files(path) if path.is_dir() else [path]
    if not files:
        raise CorpusError(f"{path}: no *.jsonl file found")
    cases = []
    for file in files:
        for number, record, error in iter_records(file):
            problems = [error] if error else label_problems(record)  # type: ignore[arg-type]
            if problems:
                raise CorpusError(f"{file}:{number}: {'; '.join(problems)}")
            cases.append(case_from_record(record))  # type: ignore[arg-type]
    return cases
