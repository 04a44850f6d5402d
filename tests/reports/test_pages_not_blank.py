"""Rasterise the reports with pdftoppm and check that no page is blank."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.reports.rendering.render import render_report
from tests.reports.report_support import group_inputs, individual_inputs, sample_map

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        if IN_CI:
            pytest.fail("pdftoppm (poppler-utils) is required in CI", pytrace=False)
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    return found


def ink_share(pgm: bytes) -> float:
    """Share of pixels darker than near-white in a binary (P5) 8-bit PGM."""
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", pgm)
    assert header is not None, pgm[:20]
    width, height = int(header[1]), int(header[2])
    pixels = pgm[header.end():]
    assert len(pixels) == width * height
    return sum(1 for value in pixels if value < 235) / len(pixels)


@pytest.mark.parametrize("kind", ["individual", "group"])
def test_every_page_has_ink(kind: str, tmp_path: Path) -> None:
    tool = pdftoppm()
    if kind == "individual":
        inputs = individual_inputs(sample_map(5, 14))
    else:
        inputs = group_inputs({str(i): sample_map(40 + i, 12) for i in range(4)})
    pdf = tmp_path / f"{kind}.pdf"
    pdf.write_bytes(render_report(kind, inputs).pdf)
    subprocess.run([tool, "-gray", "-r", "30", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) >= 2
    for page in pages:
        share = ink_share(page.read_bytes())
        assert share > 0.02, f"{page.name} looks blank ({share:.1%} ink)"
