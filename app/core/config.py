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


def available_cpus() -> int:
    """The CPUs this process may use: its affinity mask, capped by a cgroup CPU quota
    (a container's --cpus, which os.cpu_count() does not see; cgroup v2 or v1)."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    if quota is not None:
        count = min(count, quota)
    return max(1, count)


def _cgroup_cpu_quota() -> int | None:
    """The CPU quota in whole CPUs (rounded up), or None when there is none."""
    cgroup = Path("/sys/fs/cgroup")
    try:
        quota, period = (cgroup / "cpu.max").read_text().split()[:2]  # v2: "max 100000"
    except (OSError, ValueError):
        try:  # v1
            quota = (cgroup / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (cgroup / "cpu" / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    try:
        q, p = int(quota), int(period)
    except ValueError:  # "max": no quota
        return None
    if q <= 0 or p <= 0:  # v1 says -1 for none
        return None
    return max(1, -(-q // p))


class SettingsError(RuntimeError):
    """Raised when the environment cannot produce a usable configuration."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    database_url: str = f"sqlite:///./{DEFAULT_SQLITE_FILE}"
    secret_key: str | None = None
    # Read at start when SECRET_KEY is unset; created (0600) when absent, in development and
    # test always, in production only when SECRET_KEY_FILE is set explicitly (the image sets
    # /data/.wellspring-secret). Several instances need one secret: SECRET_KEY or a shared file.
    secret_key_file: Path = Path(".wellspring-secret")
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str | None = None  # smtp://user:pass@host:port or smtps://...
    mail_from: str = "Wellspring <wellspring@localhost>"
    page_size: Literal["A4", "Letter"] = "A4"
    render_workers: int = Field(default_factory=available_cpus, ge=1, le=64)
    # Start the render workers at start-up, in the background, so the first report is fast.
    render_warm_up: bool = True
    # PostgreSQL connections kept per worker (as many again may overflow); SQLite ignores it.
    database_pool_size: int = Field(default=25, ge=1, le=200)
    # Threads per worker for the participants' map requests (app/core/concurrency.py).
    participant_threads: int = Field(default=3, ge=1, le=64)
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
        path = self.secret_key_file
        if path.exists():
            self.secret_key = _read_secret(path)
            return self
        if self.environment == "production" and "secret_key_file" not in self.model_fields_set:
            raise ValueError(
                "SECRET_KEY is required in production: set it to a long random string "
                "(at least 32 characters), e.g. "
                'python -c "import secrets; print(secrets.token_urlsafe(48))", '
                "or set SECRET_KEY_FILE to a private, persistent file"
            )
        self.secret_key = _create_secret(path)
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


def _read_secret(path: Path) -> str:
    try:
        value = path.read_text().strip()
    except OSError as exc:
        raise ValueError(f"SECRET_KEY_FILE {path} cannot be read: {exc.strerror}") from exc
    if len(value) < 32:
        raise ValueError(f"SECRET_KEY_FILE {path} must hold at least 32 characters")
    return value


def _create_secret(path: Path) -> str:
    """Generate a secret once and keep it (0600), so sessions survive restarts.

    Written to a private temporary file and linked into place, so two processes starting
    at once agree on one secret and neither ever reads a half-written file.
    """
    value = secrets.token_urlsafe(48)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(value + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read_secret(path)
    except OSError as exc:
        raise ValueError(
            f"SECRET_KEY_FILE {path} cannot be created: {exc.strerror} "
            f"(its directory must be writable by uid {os.getuid()})"
        ) from exc
    finally:
        temporary.unlink(missing_ok=True)
    return value


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise SettingsError(f"invalid configuration: {exc}") from exc
