"""Start-up warms the render pool in the background; the renderer takes no other fetcher."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.core.db import Database
from app.main import create_app
from app.reports.rendering import pool
from app.reports.rendering.render import render_report
from tests.conftest import make_settings
from tests.reports.report_support import individual_inputs


def test_start_up_warms_the_pool_without_delaying_readiness(
        make_database_url: Callable[..., str]) -> None:
    url = make_database_url()
    settings = make_settings(url, render_warm_up=True, render_workers=1)
    pool.shutdown_pool()  # a cold start, whatever ran before
    database = Database(url)
    try:
        with TestClient(create_app(settings, database)) as client:
            warming = client.app.state.render_warm_up  # type: ignore[attr-defined]
            assert isinstance(warming, threading.Thread)
            assert client.get("/readyz").status_code == 200
            # Starting the forkserver and importing the renderer alone take longer than
            # a readiness probe: the probe did not wait for the warm-up.
            assert warming.is_alive()
            warming.join(timeout=300)
            assert not warming.is_alive()
            # The worker rendered its throw-away reports and froze their caches.
            assert pool.run(1, gc.get_freeze_count) > 0
            # Each worker runs with the render process's collector thresholds.
            assert pool.run(1, gc.get_threshold) == (50_000, 20, 100)
    finally:
        database.dispose()
    assert pool._pool is None  # shut down with the app, warm-up included


def test_no_warm_up_when_turned_off(make_database_url: Callable[..., str]) -> None:
    url = make_database_url()
    pool.shutdown_pool()
    database = Database(url)
    try:
        with TestClient(create_app(make_settings(url), database)) as client:
            assert client.app.state.render_warm_up is None  # type: ignore[attr-defined]
            assert pool._pool is None
    finally:
        database.dispose()


def test_render_report_takes_only_the_locked_fetcher() -> None:
    # A stray positional argument (once `True`) must not become WeasyPrint's URL fetcher.
    with pytest.raises(TypeError, match="LockedURLFetcher"):
        render_report("individual", individual_inputs(), True)  # type: ignore[arg-type]
