"""The installation's secret: generated at first set-up, never committed; purpose keys derive from it."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def load_or_create_secret(path: Path) -> bytes:
    """Read the secret, creating it (32 random bytes, mode 0600) when the installation has none."""
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
    try:
        os.link(temporary, path)  # fails if another process created it first: keep theirs
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose (model signing, encryption at rest, sessions)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(secret)


def fernet_key(secret: bytes) -> bytes:
    return base64.urlsafe_b64encode(derive_key(secret, "aiguillage/encryption-at-rest"))
