"""Run Alembic programmatically (CLI, serve, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app import PROJECT_DIR


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
