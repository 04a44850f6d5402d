"""Where the app's files live: templates, static files, fonts, catalogs, programs, migrations.

Every file that ships with the app lives inside the ``app`` package and is found
relative to it (``importlib.resources``), so a built wheel installed without the
source tree works exactly like a checkout. pyproject.toml's package-data lists
the same directories; tests/shipping/test_wheel.py checks that a wheel holds them.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE_DIR = Path(str(files("app"))).resolve()


def templates_dir() -> Path:
    return PACKAGE_DIR / "templates"


def migrations_dir() -> Path:
    return PACKAGE_DIR / "migrations"


def alembic_ini() -> Path:
    return PACKAGE_DIR / "alembic.ini"


def programs_dir() -> Path:
    """The program definitions (YAML) and the example cohort."""
    return PACKAGE_DIR / "programs"


def example_roster() -> Path:
    return programs_dir() / "example" / "roster.csv"


def static_dir() -> Path:
    return PACKAGE_DIR / "static"


def locale_dir() -> Path:
    return PACKAGE_DIR / "locale"


def report_assets_dir() -> Path:
    return PACKAGE_DIR / "reports" / "assets"


def shipped_assets() -> dict[str, Path]:
    """One file that must exist for each kind of asset; `wellspring` needs them all."""
    return {
        "templates": templates_dir() / "base.html",
        "report templates": templates_dir() / "reports" / "base.html",
        "migrations": migrations_dir() / "env.py",
        "alembic.ini": alembic_ini(),
        "programs": programs_dir() / "leadership-8-month.yaml",
        "example roster": example_roster(),
        "static": static_dir() / "app.css",
        "catalog": locale_dir() / "it" / "LC_MESSAGES" / "messages.mo",
        "report css": report_assets_dir() / "report.css",
        "report font": report_assets_dir() / "fonts" / "DejaVuSans.ttf",
    }
