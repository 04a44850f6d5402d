"""axe-core in the browser tests: no serious or critical violation on a page."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("serious", "critical")


def assert_accessible(page: Any, where: str) -> None:
    """Run axe-core on the page as it is now; fail with every serious or critical finding."""
    results = Axe().run(page)
    found = [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING
    ]
    assert not found, f"{where}: axe found " + " | ".join(found)
