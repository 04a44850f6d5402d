"""Where the app's files live: templates, static files, fonts, catalogs, programs, migrations.

In a checkout, templates/, migrations/, cohorts/ (the programs) and alembic.ini
sit at the top level, beside app/. The wheel maps them into the package at build
time (pyproject.toml, [tool.hatch.build.targets.wheel.force-include]) as
app/templates, app/migrations, app/programs and app/alembic.ini, so an installed
wheel needs no source tree. Each lookup takes the packaged copy when there is
one, else the checkout's; tests/shipping/test_wheel.py checks the wheel.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE_DIR = Path(str(files("app"))).resolve()
SOURCE_DIR = PACKAGE_DIR.parent  # the checkout, when running from one


def _shipped(inside_package: str, in_checkout: str) -> Path:
    packaged = PACKAGE_DIR / inside_package
    return packaged if packaged.exists() else SOURCE_DIR / in_checkout


def templates_dir() -> Path:
    return _shipped("templates", "templates")


def migrations_dir() -> Path:
    return _shipped("migrations", "migrations")


def alembic_ini() -> Path:
    return _shipped("alembic.ini", "alembic.ini")


def programs_dir() -> Path:
    """The program definitions (YAML) and the example cohort."""
    return _shipped("programs", "cohorts")


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
