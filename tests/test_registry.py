import json
import shutil

import pytest

from aiguillage.keys import load_or_create_secret
from aiguillage.registry import (
    CARD_FILE,
    MODEL_FILE,
    RegistryError,
    list_versions,
    load_model,
    production_version,
    promote,
    rollback,
    save_model,
)


@pytest.fixture
def registry(mini_model_env, tmp_path):
    """A copy of the fixture registry with two versions, the first in production."""
    settings, result = mini_model_env
    models = tmp_path / "models"
    shutil.copytree(settings.models_dir, models)
    secret = load_or_create_secret(settings.resolved_secret_key_file)
    result.model.version = "2026-01-02T000000-next"
    save_model(result.model, {"metrics": {}}, models, secret)
    result.model.version = "2026-01-01T000000-test"
    return models, secret


def test_registry_lists_versions_newest_first(registry):
    models, _ = registry
    cards = list_versions(models)
    assert [card["version"] for card in cards] == ["2026-01-02T000000-next", "2026-01-01T000000-test"]
    card = cards[0]
    for key in ("artifact", "libraries", "format_version", "created_at"):
        assert key in card
    assert len(card["artifact"]["sha256"]) == 64


def test_registry_promote_then_rollback(registry):
    models, secret = registry
    assert production_version(models) == "2026-01-01T000000-test"
    promote(models, "2026-01-02T000000-next", secret)
    assert production_version(models) == "2026-01-02T000000-next"
    assert load_model(models, None, secret).version == "2026-01-02T000000-next"
    assert rollback(models, secret) == "2026-01-01T000000-test"
    assert production_version(models) == "2026-01-01T000000-test"
    with pytest.raises(RegistryError, match="nothing to roll back"):
        rollback(models, secret)


def test_registry_refuses_a_tampered_artifact(registry):
    models, secret = registry
    artifact = models / "2026-01-02T000000-next" / MODEL_FILE
    artifact.write_bytes(artifact.read_bytes() + b"\0")
    with pytest.raises(RegistryError, match="does not match its card"):
        load_model(models, "2026-01-02T000000-next", secret)


def test_registry_refuses_a_model_signed_by_another_installation(registry):
    models, _ = registry
    with pytest.raises(RegistryError, match="signature does not match"):
        load_model(models, "2026-01-01T000000-test", b"another installation's secret....")


def test_registry_refuses_a_library_version_mismatch(registry):
    models, secret = registry
    card_path = models / "2026-01-02T000000-next" / CARD_FILE
    card = json.loads(card_path.read_text())
    card["libraries"]["scikit-learn"] = "0.24.2"
    card_path.write_text(json.dumps(card))
    with pytest.raises(RegistryError, match=r"trained with scikit-learn 0\.24\.2"):
        load_model(models, "2026-01-02T000000-next", secret)


def test_registry_without_production_model_says_what_to_do(tmp_path):
    with pytest.raises(RegistryError, match="run `aiguillage train`"):
        load_model(tmp_path, None, b"x" * 32)
