"""Run Alembic programmatically (CLI, serve, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.core import resources


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(resources.alembic_ini()))
    config.set_main_option("script_location", str(resources.migrations_dir()))
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
