"""The production model, swapped in place when another version is promoted (no restart, no dropped request)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from aiguillage.model import TriageModel
from aiguillage.registry import POINTER_FILE, RegistryError, load_model, production_version

log = logging.getLogger("aiguillage.service")


class ModelHolder:
    """Requests read ``holder.model``; a background check loads a newly promoted version then swaps the reference."""

    def __init__(self, models_dir: Path, secret: bytes, *, check_every: float = 5.0) -> None:
        self.models_dir = models_dir
        self.secret = secret
        self.check_every = check_every
        self.model: TriageModel = load_model(models_dir, None, secret)
        self._pointer_mtime = self._mtime()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _mtime(self) -> float:
        pointer = self.models_dir / POINTER_FILE
        return pointer.stat().st_mtime if pointer.exists() else 0.0

    def refresh(self) -> bool:
        """Load the production version if it changed; keep serving the current one if it cannot be loaded."""
        mtime = self._mtime()
        if mtime == self._pointer_mtime:
            return False
        self._pointer_mtime = mtime
        version = production_version(self.models_dir)
        if version is None or version == self.model.version:
            return False
        try:
            fresh = load_model(self.models_dir, version, self.secret)
        except RegistryError as error:
            log.error("promoted model %s refused, still serving %s: %s", version, self.model.version, error)
            return False
        fresh.predict(["Chargement du modèle : texte de préchauffage."])  # warm caches before serving
        self.model = fresh
        log.info("now serving model %s", version)
        return True

    def start(self) -> None:
        def watch() -> None:
            while not self._stop.wait(self.check_every):
                self.refresh()

        self._thread = threading.Thread(target=watch, name="model-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
