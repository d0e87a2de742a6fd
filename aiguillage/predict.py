"""Batch prediction over JSON Lines, and a readable rendering of one suggestion."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

from aiguillage.model import TriageModel
from aiguillage.taxonomy import HEADS_BY_NAME

BATCH_SIZE = 256
MAX_TEXT_CHARS = 50_000

_worker_model: TriageModel | None = None


def _predict_in_worker(texts: list[str]) -> list[dict[str, Any]]:
    assert _worker_model is not None
    return _worker_model.predict(texts)


class BatchPredictor:
    """Predict large batches on several cores: forked workers share the loaded model copy-on-write."""

    def __init__(self, model: TriageModel, *, workers: int = 2, chunk: int = 32) -> None:
        self.model = model
        self.workers = workers
        self.chunk = chunk
        self._pool: Any = None

    def __enter__(self) -> BatchPredictor:
        global _worker_model
        if self.workers > 1:
            _worker_model = self.model
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def predict(self, texts: list[str]) -> list[dict[str, Any]]:
        if self._pool is None or len(texts) < 2 * self.chunk:
            return self.model.predict(texts)
        chunks = [texts[i : i + self.chunk] for i in range(0, len(texts), self.chunk)]
        return [suggestion for part in self._pool.map(_predict_in_worker, chunks) for suggestion in part]


def _line_error(number: int, line: str) -> tuple[Any, str | None, str | None]:
    """(id, text, error) for one input line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return None, None, f"line {number}: not valid JSON ({error.msg})"
    if not isinstance(record, dict):
        return None, None, f"line {number}: a line must be a JSON object with id and text"
    case_id, text = record.get("id"), record.get("text")
    if not isinstance(text, str) or not text.strip():
        return case_id, None, "missing or empty text"
    if len(text) > MAX_TEXT_CHARS:
        return case_id, None, f"text longer than {MAX_TEXT_CHARS} characters"
    return case_id, text, None


def predict_file(model: TriageModel, input_path: Path, output_path: Path, *, workers: int = 1) -> tuple[int, int]:
    """Write one output line per input line, in order; a bad line gets an error entry. Returns (lines, errors)."""
    written = errors = 0
    pending: list[tuple[Any, str | None, str | None]] = []
    predictor = BatchPredictor(model, workers=workers)

    def flush(handle: Any) -> None:
        nonlocal written, errors
        texts = [text for _, text, error in pending if error is None]
        suggestions = iter(predictor.predict(texts)) if texts else iter(())
        for case_id, _, error in pending:
            entry = {"id": case_id, "error": error} if error else {"id": case_id, **next(suggestions)}
            errors += bool(error)
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            written += 1
        pending.clear()

    with (
        input_path.open(encoding="utf-8", errors="replace") as source,
        output_path.open("w", encoding="utf-8") as sink,
        predictor,
    ):
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            pending.append(_line_error(number, line))
            if len(pending) >= BATCH_SIZE * max(workers, 1):
                flush(sink)
        flush(sink)
    return written, errors


def _reasons(entry: dict[str, Any]) -> str:
    terms = [reason["term"] for reason in entry.get("reasons", [])]
    return f"  (mots : {', '.join(terms)})" if terms else ""


def format_suggestion(suggestion: dict[str, Any]) -> str:
    """The suggestion as a mediator reads it, in French."""
    recevabilite = suggestion["recevabilite"]
    emetteur = suggestion["emetteur"]
    routing = suggestion["routing"]
    lines = [
        f"Modèle {suggestion['model_version']}",
        f"Recevabilité : {HEADS_BY_NAME['recevabilite'].libelle_of(recevabilite['code'])} "
        f"({recevabilite['score']:.0%}){_reasons(recevabilite)}",
        f"Orientation : {routing['destination']} — {routing['reason']}",
    ]
    for name in ("motifs", "prestations"):
        head = HEADS_BY_NAME[name]
        chosen = [entry for entry in suggestion[name] if entry["predicted"]]
        lines.append(f"{head.libelle} :" + ("" if chosen else " aucun"))
        lines += [f"  - {head.libelle_of(e['code'])} ({e['score']:.0%}){_reasons(e)}" for e in chosen]
    lines.append(f"Émetteur : {HEADS_BY_NAME['emetteur'].libelle_of(emetteur['code'])} ({emetteur['score']:.0%})")
    urgence = suggestion["urgence"]
    lines.append(f"Urgence : {'OUI' if urgence['predicted'] else 'non'} ({urgence['score']:.0%}){_reasons(urgence)}")
    return "\n".join(lines)
