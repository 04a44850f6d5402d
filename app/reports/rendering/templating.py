"""The report templates' Jinja environment and the template version.

Autoescaping is on for every template: participant text (contact labels,
commitments, names) is untrusted, and only charts built by svg.py, which
escapes as it writes, reach the page as Markup.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from app.core import resources
from app.core.i18n import get_translations, normalize_language
from app.reports.rendering.fetcher import ASSETS_DIR

REPORT_TEMPLATES_DIR = resources.templates_dir() / "reports"
PACKAGE_DIR = resources.PACKAGE_DIR


def _version_sources() -> list[tuple[str, Path]]:
    """Everything whose change can change a rendered report, as (name, file) pairs.

    Templates, assets, the catalog and the code that turns maps into pages
    (the analysis core included): a refactor there costs one re-render each,
    while forgetting one would serve stale reports. Names are relative to their
    root, so a source checkout and an installed wheel agree on the version.
    """
    files: dict[str, Path] = {}
    for label, root, pattern in (
        ("templates", REPORT_TEMPLATES_DIR, "**/*"),
        ("assets", ASSETS_DIR, "**/*"),
        ("rendering", PACKAGE_DIR / "reports" / "rendering", "*.py"),
        ("analysis", PACKAGE_DIR / "analysis", "*.py"),
        ("locale", resources.locale_dir(), "*/LC_MESSAGES/*.po"),
    ):
        for path in root.glob(pattern):
            if path.is_file():
                files[f"{label}/{path.relative_to(root).as_posix()}"] = path
    return sorted(files.items())


def compute_template_version() -> str:
    digest = hashlib.sha256()
    for name, path in _version_sources():
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:40]  # cached_reports.template_version is String(40)


TEMPLATE_VERSION = compute_template_version()


@lru_cache(maxsize=4)
def report_environment(lang: str) -> Environment:
    """One environment per language, with that language's translations installed."""
    env = Environment(
        loader=FileSystemLoader(str(REPORT_TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Added by the i18n extension at run time, so the type checker cannot see it.
    env.install_gettext_translations(  # type: ignore[attr-defined]
        get_translations(normalize_language(lang)), newstyle=True
    )
    env.filters["css_string"] = css_string
    return env


def css_string(value: str) -> Markup:
    """A CSS string literal for our own (translated) words in generated CSS."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-–·" else f"\\{ord(ch):x} " for ch in value)
    return Markup(f'"{escaped}"')  # noqa: S704 - every other character is escaped above
