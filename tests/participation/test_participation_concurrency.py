"""Races over real HTTP against the real server: first saves and double submits at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.participation.models import Submission
from tests.participation.participation_support import sample_map, seed
from tests.reliability.harness import ServerProcess
from tests.reliability.harness import seed as seed_class


def test_racing_first_saves_and_submits_make_one_submission(live_server: Any) -> None:
    url = seed(live_server).replace("/p/", "/api/v1/p/")
    data = sample_map()
    other = {"contacts": [{"id": "z", "label": "Other tab"}]}

    def first_save(index: int) -> int:
        body = data if index % 2 == 0 else other
        with httpx.Client(timeout=30) as client:
            return client.put(url + "/map", json=body, headers={"If-Match": '"0"'}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(first_save, range(8)))
    assert all(code in (200, 412) for code in codes), codes
    assert 200 in codes

    def submit(_: int) -> httpx.Response:
        with httpx.Client(timeout=30) as client:
            return client.post(url + "/submit", json=data)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(submit, range(8)))
    assert [r.status_code for r in responses] == [200] * 8
    assert len({r.json()["version"] for r in responses}) == 1

    with live_server.database.session() as db:
        assert db.scalar(select(func.count()).select_from(Submission)) == 1
        submission = db.scalar(select(Submission))
        assert submission is not None and submission.status == "submitted"
        assert submission.map["contacts"][0]["label"] == "M.R."


# --- optimistic concurrency on both databases, two server processes ----------------------


def _saves(url: str, version: int, count: int) -> list[httpx.Response]:
    """`count` clients save different maps at once, all claiming `version`."""
    barrier = threading.Barrier(count)

    def save(index: int) -> httpx.Response:
        body = {"contacts": [{"id": "a", "label": f"Tab {version}-{index}"}], "ties": [],
                "commitments": []}
        with httpx.Client(timeout=60) as client:
            barrier.wait()
            return client.put(url + "/map", json=body, headers={"If-Match": f'"{version}"'})

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(save, range(count)))


@pytest.mark.slow
def test_concurrent_saves_of_one_version_let_exactly_one_win(
    make_database_url: Callable[..., str],
) -> None:
    url = make_database_url()
    seeded = seed_class(url, 1)
    token = next(iter(seeded.tokens.values()))
    with ServerProcess(url, workers=2) as server:
        api = f"{server.url}/api/v1/p/{token}"
        first = httpx.put(api + "/map", json={"contacts": [], "ties": [], "commitments": []},
                          headers={"If-Match": '"0"'}, timeout=30)
        assert first.status_code == 200 and first.headers["etag"] == '"1"'
        version = 1
        seen_versions = [1]
        for _round in range(4):
            answers = _saves(api, version, 10)
            codes = sorted(answer.status_code for answer in answers)
            assert codes == [200] + [412] * 9, codes
            winner = next(answer for answer in answers if answer.status_code == 200)
            assert winner.json()["version"] == version + 1
            for loser in answers:
                if loser.status_code == 412:
                    assert loser.json()["current_version"] == version + 1
            stored = httpx.get(api, timeout=30).json()
            assert stored["version"] == version + 1
            assert stored["map"]["contacts"] == winner.json()["map"]["contacts"]
            version += 1
            seen_versions.append(version)
    assert seen_versions == sorted(seen_versions)  # versions only increase
