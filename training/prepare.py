"""Redact training texts once (NER included) and cache them, so no model sees personal data."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from aiguillage.records import Case
from aiguillage.redaction import REDACTION_VERSION, Redactor, load_ner_pipeline


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def redact_cases(
    cases: Sequence[Case], cache_dir: Path | None = None, *, spacy_model: str = "fr_core_news_md"
) -> list[Case]:
    """The same cases with redacted text; the cache is keyed by a hash of the text (no text in clear as key)."""
    cache: dict[str, str] = {}
    cache_file = cache_dir / f"redacted-v{REDACTION_VERSION}.jsonl" if cache_dir else None
    if cache_file and cache_file.exists():
        for line in cache_file.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            cache[entry["key"]] = entry["text"]
    todo = [case.text for case in cases if _key(case.text) not in cache]
    if todo:
        redactor = Redactor(load_ner_pipeline(spacy_model))
        fresh = {_key(text): r.text for text, r in zip(todo, redactor.redact_many(todo), strict=True)}
        cache.update(fresh)
        if cache_file:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            with cache_file.open("a", encoding="utf-8") as handle:
                for key, text in fresh.items():
                    handle.write(json.dumps({"key": key, "text": text}, ensure_ascii=False) + "\n")
    return [dataclasses.replace(case, text=cache[_key(case.text)]) for case in cases]
