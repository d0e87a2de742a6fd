"""Shared fixtures: tiny inline corpora, isolated settings, and a model trained on the fixture corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiguillage.records import Case, load_cases
from aiguillage.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose files all live in a fresh temporary folder."""
    return Settings(var_dir=tmp_path / "var", models_dir=tmp_path / "models", data_dir=FIXTURES / "mini")


@pytest.fixture(scope="session")
def mini_cases() -> list[Case]:
    return load_cases(FIXTURES / "mini_corpus.jsonl")


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def mini_model_env(tmp_path_factory: pytest.TempPathFactory, mini_cases: list[Case]):
    """A model trained and promoted on the fixture corpus (redaction without NER, to stay fast)."""
    from aiguillage.keys import load_or_create_secret
    from aiguillage.registry import promote, save_model
    from training.register import model_card
    from training.train import TrainConfig, train

    root = tmp_path_factory.mktemp("mini-model")
    settings = Settings(var_dir=root / "var", models_dir=root / "models", data_dir=FIXTURES)
    config = TrainConfig(c_grid=(1.0, 4.0))
    result = train(mini_cases, config, version="2026-01-01T000000-test")
    secret = load_or_create_secret(settings.resolved_secret_key_file)
    save_model(result.model, model_card(result, config, {"fixture": True}), settings.models_dir, secret)
    promote(settings.models_dir, result.model.version, secret)
    return settings, result
