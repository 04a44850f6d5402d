from __future__ import annotations

from pathlib import Path

import pytest

from app.core.config import Settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("DATABASE_URL", "SECRET_KEY", "ENVIRONMENT", "BASE_URL", "SMTP_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_to_a_sqlite_file_in_the_working_directory(clean_env: Path) -> None:
    settings = Settings()
    assert settings.database_url == "sqlite:///./wellspring.db"
    assert settings.is_sqlite


def test_development_secret_is_generated_once_and_kept(clean_env: Path) -> None:
    first = Settings().key
    second = Settings().key
    assert first == second
    assert len(first) >= 32
    secret_file = clean_env / ".wellspring-secret"
    assert secret_file.read_text().strip() == first
    assert secret_file.stat().st_mode & 0o077 == 0


def test_production_refuses_a_missing_secret(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ValueError, match="SECRET_KEY is required in production"):
        Settings()
    assert not (clean_env / ".wellspring-secret").exists()


def test_short_secret_is_refused(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(ValueError, match="SECRET_KEY must be at least 32"):
        Settings()


def test_postgres_urls_use_psycopg(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/wellspring")
    assert Settings().database_url == "postgresql+psycopg://u@db/wellspring"
    monkeypatch.setenv("DATABASE_URL", "mysql://u@db/x")
    with pytest.raises(ValueError, match="DATABASE_URL"):
        Settings()


def test_database_pool_size_sizes_the_postgresql_pool(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.core.db import Database, pool_options

    monkeypatch.setenv("DATABASE_POOL_SIZE", "7")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    postgres = Settings(database_url="postgresql://postgres@127.0.0.1:5432/test")
    assert pool_options(postgres) == {"pool_size": 7}
    engine = Database(postgres.database_url, **pool_options(postgres)).engine
    assert engine.pool.size() == 7  # no connection is opened to build it
    engine.dispose()
    assert pool_options(Settings(database_url="sqlite:///x.db")) == {}
    monkeypatch.setenv("DATABASE_POOL_SIZE", "0")
    with pytest.raises(ValueError, match="database_pool_size"):
        Settings(database_url="sqlite:///x.db")
