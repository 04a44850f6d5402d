from __future__ import annotations

from app.core.security import link_token, password_hasher, redact_token, sha256_hex


def test_production_password_hashing_is_argon2id() -> None:
    password_hasher.cache_clear()
    hashed = password_hasher.__wrapped__().hash("a long passphrase")
    assert hashed.startswith("$argon2id$")
    assert password_hasher.__wrapped__().verify("a long passphrase", hashed)
    assert not password_hasher.__wrapped__().verify("another passphrase", hashed)


def test_link_tokens_depend_on_the_secret_and_nonce() -> None:
    token = link_token("k" * 40, "00" * 16)
    assert len(token) >= 43  # 256-bit HMAC, base64url
    assert token != link_token("j" * 40, "00" * 16)
    assert token != link_token("k" * 40, "01" * 16)
    assert sha256_hex(token) != token
    assert token not in redact_token(token)
