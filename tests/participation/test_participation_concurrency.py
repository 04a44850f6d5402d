"""Races over real HTTP against the real server: first saves and double submits at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from sqlalchemy import func, select

from app.participation.models import Submission
from tests.participation.participation_support import sample_map, seed


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
