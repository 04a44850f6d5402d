"""Settings, read from the environment once and validated at start-up."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from limits import parse
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_FILE = "wellspring.db"


class SettingsError(RuntimeError):
    """Raised when the environment cannot produce a usable configuration."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    database_url: str = f"sqlite:///./{DEFAULT_SQLITE_FILE}"
    secret_key: str | None = None
    secret_key_file: Path = Path(".wellspring-secret")
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str | None = None  # smtp://user:pass@host:port or smtps://...
    mail_from: str = "Wellspring <wellspring@localhost>"
    page_size: Literal["A4", "Letter"] = "A4"
    render_workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=64)
    max_body_bytes: int = Field(default=1_000_000, ge=10_000)
    retention_months: int = Field(default=24, ge=1)
    # Rates in the `limits` notation ("30/minute"); see app/core/ratelimit.py.
    login_rate_limit: str = "10/minute"  # failed sign-ins, per address and per account
    token_rate_limit: str = "120/minute"  # noqa: S105 - requests on one valid link
    failed_lookup_rate_limit: str = "30/minute"  # unknown or revoked links, per address
    # Empty: counters in a table of the database's own (shared by an instance's workers);
    # or a `limits` storage URL: redis://host:6379 (shared by instances), memory://.
    rate_limit_storage_url: str = ""
    # Proxies whose X-Forwarded-For is believed (uvicorn's --forwarded-allow-ips).
    forwarded_allow_ips: str = "127.0.0.1"
    session_max_age_hours: int = Field(default=12, ge=1)

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we ship.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        if not (value.startswith("sqlite") or value.startswith("postgresql+psycopg")):
            raise ValueError("DATABASE_URL must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("login_rate_limit", "token_rate_limit", "failed_lookup_rate_limit")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(f"not a rate such as '30/minute': {value!r}") from exc
        return value

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _secret_key_present(self) -> Settings:
        if self.secret_key:
            if len(self.secret_key) < 32:
                raise ValueError("SECRET_KEY must be at least 32 characters long")
            return self
        if self.environment == "production":
            raise ValueError(
                "SECRET_KEY is required in production: set it to a long random string, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        self.secret_key = _development_secret(self.secret_key_file)
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def key(self) -> str:
        assert self.secret_key is not None  # guaranteed by the validator
        return self.secret_key


def _development_secret(path: Path) -> str:
    """Generate a secret once and keep it, so sessions survive restarts in development."""
    if path.exists():
        existing = path.read_text().strip()
        if len(existing) >= 32:
            return existing
    value = secrets.token_urlsafe(48)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise SettingsError(f"invalid configuration: {exc}") from exc
