"""Where the app's files live: templates, static files, fonts, catalogs, programs, migrations.

Every lookup of a file that ships with the app goes through here, so the code
works the same from a source checkout and from an installed wheel.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SOURCE_DIR = PACKAGE_DIR.parent


def templates_dir() -> Path:
    return SOURCE_DIR / "templates"


def migrations_dir() -> Path:
    return SOURCE_DIR / "migrations"


def alembic_ini() -> Path:
    return SOURCE_DIR / "alembic.ini"


def programs_dir() -> Path:
    """The program definitions (YAML) and the example cohort."""
    return SOURCE_DIR / "cohorts"


def example_roster() -> Path:
    return programs_dir() / "example" / "roster.csv"


def static_dir() -> Path:
    return PACKAGE_DIR / "static"


def locale_dir() -> Path:
    return PACKAGE_DIR / "locale"


def report_assets_dir() -> Path:
    return PACKAGE_DIR / "reports" / "assets"
