"""From a corpus folder to a registered model version: load, redact, train, describe, save."""

from __future__ import annotations

import dataclasses
import resource
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiguillage.keys import load_or_create_secret
from aiguillage.records import Case, corpus_files, load_cases
from aiguillage.registry import new_version, save_model, sha256_file
from aiguillage.settings import Settings
from training.prepare import redact_cases
from training.train import TrainConfig, TrainingResult, train


def model_card(result: TrainingResult, config: TrainConfig, data: dict[str, Any]) -> dict[str, Any]:
    """What a version says about itself, besides what the registry adds (hash, versions, date)."""
    heads = result.model.heads
    return {
        "training_config": config.as_dict(),
        "data": data,
        "split_counts": result.counts,
        "labels": {name: list(head.classes_) for name, head in heads.items()},
        "thresholds": {
            name: {code: float(t) for code, t in zip(head.classes_, head.thresholds_, strict=True)}
            for name, head in heads.items()
            if head.kind != "single"
        },
        "calibration": {
            name: ("temperature", head.temperature_) if head.kind == "single" else ("platt", head.platt_.tolist())
            for name, head in heads.items()
        },
        "urgence_threshold_rule": f"highest dev threshold with recall >= {config.urgence_min_recall}",
        "metrics": result.metrics,
        "training_seconds": result.seconds,
        "training_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "features": len(result.model.featurizer.feature_names_),
    }


def train_version(
    settings: Settings,
    *,
    data_dir: Path | None = None,
    seed: int = 13,
    extra_cases: Sequence[Case] = (),
    extra_description: dict[str, Any] | None = None,
) -> tuple[str, TrainingResult]:
    """Train on the corpus (plus already-redacted extra cases, e.g. closed ones) and save a new version."""
    data_dir = data_dir or settings.data_dir
    corpus = load_cases(data_dir)
    redacted = redact_cases(corpus, settings.var_dir / "cache", spacy_model=settings.spacy_model)
    cases = [*redacted, *extra_cases]
    config = dataclasses.replace(TrainConfig(), seed=seed)
    version = new_version()
    result = train(cases, config, version=version)
    data = {
        "files": [
            {"path": str(path.relative_to(data_dir)), "sha256": sha256_file(path)} for path in corpus_files(data_dir)
        ],
        "corpus_cases": len(corpus),
        "extra_cases": len(extra_cases),
        **(extra_description or {}),
    }
    secret = load_or_create_secret(settings.resolved_secret_key_file)
    save_model(result.model, model_card(result, config, data), settings.models_dir, secret)
    return version, result
