"""Passwords (argon2), API tokens (random, stored as SHA-256), encryption of original texts (Fernet)."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Caller:
    """Who is calling the API: enough to authorise, detached from any database session."""

    name: str
    role: str


class TokenCache:
    """Recently verified tokens, so a busy client does not cost a database query per request.

    A token removed from the database stops working after at most ``ttl_seconds``.
    """

    def __init__(self, ttl_seconds: float = 10.0, max_entries: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[str, tuple[Caller, float]] = {}

    def get(self, token_hash: str) -> Caller | None:
        entry = self._entries.get(token_hash)
        if entry is None or entry[1] <= time.monotonic():
            return None
        return entry[0]

    def put(self, token_hash: str, caller: Caller) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[token_hash] = (caller, time.monotonic() + self.ttl_seconds)
