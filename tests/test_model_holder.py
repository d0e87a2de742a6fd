import os
import shutil

from aiguillage.keys import load_or_create_secret
from aiguillage.registry import MODEL_FILE, POINTER_FILE, promote, save_model
from service.model_holder import ModelHolder


def _registry(mini_model_env, tmp_path):
    settings, result = mini_model_env
    models = tmp_path / "models"
    shutil.copytree(settings.models_dir, models)
    secret = load_or_create_secret(settings.resolved_secret_key_file)
    original = result.model.version
    result.model.version = "2026-02-01T000000-new"
    save_model(result.model, {"metrics": {}}, models, secret)
    result.model.version = original
    return models, secret


def _touch_pointer(models):
    pointer = models / POINTER_FILE
    stat = pointer.stat()
    os.utime(pointer, (stat.st_atime, stat.st_mtime + 10))


def test_model_holder_swaps_in_a_promoted_version(mini_model_env, tmp_path):
    models, secret = _registry(mini_model_env, tmp_path)
    holder = ModelHolder(models, secret)
    assert holder.model.version == "2026-01-01T000000-test"
    assert holder.refresh() is False
    promote(models, "2026-02-01T000000-new", secret)
    _touch_pointer(models)
    assert holder.refresh() is True
    assert holder.model.version == "2026-02-01T000000-new"


def test_model_holder_keeps_serving_when_the_promoted_file_is_bad(mini_model_env, tmp_path):
    models, secret = _registry(mini_model_env, tmp_path)
    holder = ModelHolder(models, secret)
    promote(models, "2026-02-01T000000-new", secret)
    artifact = models / "2026-02-01T000000-new" / MODEL_FILE
    artifact.write_bytes(artifact.read_bytes()[:-10])
    _touch_pointer(models)
    assert holder.refresh() is False
    assert holder.model.version == "2026-01-01T000000-test"
