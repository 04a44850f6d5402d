"""Settings a container relies on: SECRET_KEY_FILE, and a render pool sized by the CPUs
the container may use rather than the host's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.config import Settings, available_cpus


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "ENVIRONMENT",
                 "RENDER_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_production_reads_the_secret_from_secret_key_file(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = clean_env / "mounted-secret"
    secret.write_text("s" * 20 + "-from-a-docker-secret-file\n")
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert Settings().key == "s" * 20 + "-from-a-docker-secret-file"


def test_production_creates_the_file_once_when_it_is_named_and_absent(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = clean_env / "data" / ".wellspring-secret"
    target.parent.mkdir()
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY_FILE", str(target))
    first = Settings().key
    assert len(first) >= 32
    assert target.stat().st_mode & 0o777 == 0o600
    assert Settings().key == first
    assert sorted(p.name for p in target.parent.iterdir()) == [".wellspring-secret"]


def test_an_explicit_secret_key_wins_over_the_file(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = clean_env / "secret"
    secret.write_text("f" * 40)
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert Settings().key == "k" * 40


def test_a_short_secret_file_is_refused(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = clean_env / "secret"
    secret.write_text("short\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    with pytest.raises(ValueError, match="at least 32 characters"):
        Settings()
    assert secret.read_text() == "short\n"  # never silently replaced


def test_an_unwritable_place_for_the_secret_says_so(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY_FILE", str(clean_env / "no-such-dir" / "secret"))
    with pytest.raises(ValueError, match="cannot be created"):
        Settings()


def test_processes_starting_together_agree_on_one_secret(clean_env: Path) -> None:
    target = clean_env / ".wellspring-secret"
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ENVIRONMENT")}
    env.update(SECRET_KEY_FILE=str(target), ENVIRONMENT="production")
    code = "from app.core.config import Settings; print(Settings().key)"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).resolve().parents[2])
             for _ in range(6)]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert keys == {target.read_text().strip()}


def test_render_workers_default_to_the_cpus_this_process_may_use(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings().render_workers == available_cpus() <= (os.cpu_count() or 1)
    monkeypatch.setenv("RENDER_WORKERS", "3")
    assert Settings().render_workers == 3


def test_an_affinity_mask_of_one_cpu_gives_one_worker() -> None:
    taskset = shutil.which("taskset")
    assert taskset is not None, "taskset (util-linux) is part of every Debian"
    out = subprocess.run(
        [taskset, "-c", "0", sys.executable, "-c",
         "from app.core.config import available_cpus; print(available_cpus())"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2],
    ).stdout
    assert out.strip() == "1"
