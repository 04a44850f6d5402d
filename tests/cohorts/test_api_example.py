"""docs/api-example.py (shown in the README) runs against a real server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.facilitators.service import create_facilitator

REPO_ROOT = Path(__file__).resolve().parents[2]

SCRIPT = REPO_ROOT / "docs" / "api-example.py"


def test_the_readme_script_runs(live_server: Any, tmp_path: Path) -> None:
    with live_server.database.session() as db:
        create_facilitator(db, email="scripter@example.org", password="script-password-1")
    env = {**os.environ, "WELLSPRING_URL": live_server.url,
           "WELLSPRING_EMAIL": "scripter@example.org", "WELLSPRING_PASSWORD": "script-password-1"}
    out = tmp_path / "pack.pdf"
    result = subprocess.run([sys.executable, str(SCRIPT), str(out)], env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Session 1: Leading yourself"
    links = [line for line in lines if f"{live_server.url}/p/" in line]
    assert len(links) == 8 and "Zoë Müller" in result.stdout
    assert out.read_bytes().startswith(b"%PDF")
