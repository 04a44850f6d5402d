"""The built wheel is the product: installed into a fresh virtualenv, away from the
source tree, it finds every asset, migrates a database, creates the demo data and
renders a PDF with embedded fonts.

The wheel is installed with --no-deps; its dependencies come from this virtualenv's
site-packages through a .pth file (a .pth line adds a path but does not run that
path's own .pth files, so the editable install of this checkout stays invisible).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: int = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built like the Dockerfile builds it: from the tracked files plus the compiled
    catalog, in a copy (setuptools' build/ in the checkout could hold stale modules)."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("source")
    tracked = _run(["git", "ls-files", "-z"], cwd=REPO_ROOT).stdout.split("\0")
    for name in filter(None, tracked):
        if (REPO_ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, source / name)
    _run([sys.executable, "-m", "app.core.i18n"], cwd=source)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."],
         cwd=source, timeout=600)
    (built,) = out.glob("wellspring-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv)
    python = venv / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   cwd=venv).stdout.strip()
    (Path(purelib) / "_deps_from_dev_venv.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
          str(wheel)], cwd=venv, timeout=600)
    return venv


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_URL", "TEST_DATABASE_URL", "PYTHONPATH"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp / 'w.db'}", ENVIRONMENT="development",
               SECRET_KEY_FILE=str(tmp / "secret"), RENDER_WORKERS="1")
    return env


def test_the_wheel_holds_every_asset_of_the_source_tree(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    # Folders of the package as they are, and the top-level folders mapped into it.
    mapped = {"templates": "templates", "migrations": "migrations", "cohorts": "programs"}
    expected = {
        str(path.relative_to(REPO_ROOT))
        for folder in ("static", "locale", "reports/assets")
        for path in (REPO_ROOT / "app" / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        and path.name != "messages.pot"
    } | {
        f"app/{inside}/{path.relative_to(REPO_ROOT / top)}"
        for top, inside in mapped.items()
        for path in (REPO_ROOT / top).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    } | {"app/alembic.ini"}
    assert expected - names == set()
    assert any(n.startswith("app/migrations/versions/") for n in names)
    assert "app/locale/it/LC_MESSAGES/messages.mo" in names


def test_the_installed_package_finds_its_assets_outside_the_source_tree(
    fresh_venv: Path, tmp_path: Path
) -> None:
    script = (
        "import json, app; from app.core import resources; "
        "print(json.dumps({'package': str(resources.PACKAGE_DIR), 'missing': "
        "[k for k, p in resources.shipped_assets().items() if not p.is_file()]}))"
    )
    out = json.loads(_run([str(fresh_venv / "bin" / "python"), "-c", script], cwd=tmp_path,
                          env=_env(tmp_path)).stdout)
    assert out["missing"] == []
    assert Path(out["package"]).is_relative_to(fresh_venv)
    assert not Path(out["package"]).is_relative_to(REPO_ROOT)


def test_the_installed_wheel_migrates_creates_the_demo_and_renders_a_pack(
    fresh_venv: Path, tmp_path: Path
) -> None:
    wellspring = str(fresh_venv / "bin" / "wellspring")
    env = _env(tmp_path)
    _run([wellspring, "db", "upgrade"], cwd=tmp_path, env=env)
    demo = json.loads(_run([wellspring, "demo"], cwd=tmp_path, env=env).stdout)
    pdf = tmp_path / "pack.pdf"
    _run([wellspring, "report", "pack", str(demo["session_id"]), "-o", str(pdf)],
         cwd=tmp_path, env=env)
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is None:
                for child in font.get_object().get("/DescendantFonts", []):
                    descriptor = child.get_object().get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.add(str(descriptor["/FontName"]))
    assert any("Wellspring-Sans" in name for name in fonts), fonts  # the packaged face
    text = "".join(page.extract_text() for page in reader.pages)
    assert demo["participant_links"][0]["name"].split()[0] in text or "Aisha" in text
