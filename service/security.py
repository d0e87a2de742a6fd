"""Passwords (argon2), API tokens (random, stored as SHA-256), encryption of original texts (Fernet)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet

from aiguillage.keys import fernet_key

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> tuple[str, str]:
    """A new API token and the hash that is stored (tokens are random, so one SHA-256 suffices)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TextVault:
    """Encrypts the text as received; only the case page of an authorised user decrypts it."""

    def __init__(self, secret: bytes) -> None:
        self._fernet = Fernet(fernet_key(secret))

    def seal(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode("utf-8"))

    def open(self, sealed: bytes) -> str:
        return self._fernet.decrypt(sealed).decode("utf-8")
