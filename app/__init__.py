"""Wellspring: the network-map exercise for leadership cohorts."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = PROJECT_DIR / "templates"
