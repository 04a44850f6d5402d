"""Secrets, hashes and tokens shared by the domains."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from functools import lru_cache

from pwdlib import PasswordHash

TOKEN_NONCE_BYTES = 16  # 128 bits from `secrets`


@lru_cache
def password_hasher() -> PasswordHash:
    return PasswordHash.recommended()  # argon2id


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return password_hasher().verify(password, password_hash)
    except Exception:  # a malformed stored hash must read as "no match", not a 500
        return False


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(TOKEN_NONCE_BYTES)


def link_token(secret_key: str, nonce: str) -> str:
    """The capability token for a personal link: HMAC-SHA256(SECRET_KEY, nonce), base64url.

    The nonce carries 128 bits from `secrets`; only SHA-256(token) is stored, so a
    copy of the database alone cannot be turned into working links.
    """
    digest = hmac.new(secret_key.encode(), b"invitation:" + nonce.encode(), hashlib.sha256)
    return urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def redact_token(token: str) -> str:
    """What may appear in a log line instead of a link token."""
    return f"{token[:4]}…" if token else ""
