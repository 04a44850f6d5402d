"""Schemathesis over every operation of our OpenAPI schema.

For each operation, a bounded and derandomized number of schema-valid
(positive) and schema-invalid (negative) requests go to the app in-process,
against a committed database seeded with a facilitator, a cohort, an open
session and submitted maps. Path parameters are usually replaced by real ids
and a real personal-link token (so requests get past the 404), and every
request carries a fresh bearer token. Every failure of every operation is
collected and reported together: the route, the check, and a curl command.

Checks: no 5xx, documented status codes and content types, responses that
match their schemas, and schema-invalid input refused with a 4xx.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from app.core.db import Database
from tests.conftest import make_settings
from tests.reliability.harness import participant_map

MAX_EXAMPLES = 12
# Operations whose examples are slow (PDF renders): fewer of them keep the run short.
SLOW_SUFFIXES = (".pdf", ".zip")
SLOW_EXAMPLES = 4
REAL_VALUE_ODDS = 5  # 4 in 5 cases use a real id or token; the rest keep the generated one


@dataclass
class World:
    """The seeded data, re-created whenever a destructive operation removed it."""

    database: Database
    settings: Any
    ids: dict[str, Any] = field(default_factory=dict)

    def refresh(self) -> None:
        from app.cohorts.models import Cohort
        from app.sessions.models import Invitation

        with self.database.session() as db:
            cohort = db.get(Cohort, self.ids["cohort_id"]) if self.ids else None
            alive = cohort is not None and any(
                f.id == self.ids["facilitator_id"] for f in cohort.facilitators
            ) and len(cohort.sessions) > 0 and len(cohort.participants) >= 2
            if not alive:
                self._seed(db)
            invitations = db.query(Invitation).filter_by(session_id=self.ids["session_id"]).all()
            from app.sessions.service import invitation_token

            self.ids["tokens"] = [
                invitation_token(self.settings, inv) for inv in invitations
                if inv.revoked_at is None
            ] or ["no-valid-token-aaaaaaaaaaaaaaaaaaaaaaaa"]

    def _seed(self, db: Any) -> None:
        from app.cohorts.schemas import ParticipantIn
        from app.cohorts.service import add_participants, create_cohort
        from app.facilitators.service import create_facilitator, get_by_email
        from app.participation.service import save_map
        from app.sessions.service import open_session

        facilitator = get_by_email(db, "fuzz@example.org") or create_facilitator(
            db, email="fuzz@example.org", password="fuzzing password", name="Fuzz"
        )
        cohort = create_cohort(db, name="Fuzzed cohort", program_id="leadership-8-month",
                               language="en", facilitators=[facilitator])
        stamp = time.monotonic_ns()
        participants = add_participants(
            db, cohort,
            [ParticipantIn(name=f"Fuzz {i}", email=f"fuzz{i}-{stamp}@example.org")
             for i in range(4)],
        )
        cohort_session = open_session(db, self.settings, cohort,
                                      deadline=datetime.now(UTC) + timedelta(days=7))
        program = cohort.program_definition()
        for index, participant in enumerate(participants[:3]):
            save_map(db, cohort_session=cohort_session, participant=participant, program=program,
                     data=participant_map(index, 6), submit=index < 2)
        db.flush()
        self.ids.update(
            facilitator_id=facilitator.id, cohort_id=cohort.id, session_id=cohort_session.id,
            participant_id=participants[0].id,
            invitation_id=cohort_session.invitations[-1].id,
        )

    def bearer(self) -> str:
        from app.facilitators.models import Facilitator
        from app.facilitators.service import start_session

        with self.database.session() as db:
            facilitator = db.get_one(Facilitator, self.ids["facilitator_id"])
            token, _ = start_session(db, facilitator, max_age=timedelta(hours=1))
            return token


@pytest.fixture(scope="module")
def fuzz_app(make_database_url: Callable[..., str]) -> Any:
    from app.main import create_app

    url = make_database_url()
    configured = make_settings(url, token_rate_limit="1000000/minute",
                               login_rate_limit="1000000/minute", render_workers=1)
    database = Database(url)
    world = World(database, configured)
    world.refresh()
    yield create_app(configured, database), world
    database.dispose()


def checks() -> tuple[list[Any], list[Any]]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    common = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_headers_conformance, response_schema_conformance]
    return common, [*common, negative_data_rejection]


def fuzz(
    operation: Any, mode: Any, active_checks: list[Any], examples: int, world: World,
    failures: dict[str, str], label: str,
) -> Callable[[], None]:
    """A Hypothesis test for one operation and mode; failures are collected, not raised."""

    @settings(
        max_examples=examples, derandomize=True, deadline=None, database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report, do not minimise
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: Any, data: Any) -> None:
        world.refresh()
        for name in list(case.path_parameters or {}):
            if data.draw(st.integers(0, REAL_VALUE_ODDS - 1), label=name) == 0:
                continue  # keep the generated value: unknown ids must be 404, not 500
            if name == "token":
                case.path_parameters[name] = data.draw(
                    st.sampled_from(world.ids["tokens"]), label="token"
                )
            elif name in world.ids:
                case.path_parameters[name] = world.ids[name]
        headers = {"Authorization": f"Bearer {world.bearer()}"}
        from schemathesis.core.failures import FailureGroup

        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=active_checks, headers=headers)
        except FailureGroup as exc:  # keep the first failure of each kind
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            key = f"{label} [{mode.value}] {type(exc).__name__}: {first_line}"
            failures.setdefault(key, str(exc)[:2500])

    return run  # type: ignore[no-any-return]


@pytest.mark.slow
def test_every_operation_against_its_schema(fuzz_app: tuple[Any, World]) -> None:
    import schemathesis
    from schemathesis import GenerationMode

    app, world = fuzz_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    positive_checks, negative_checks = checks()
    failures: dict[str, str] = {}
    timings: list[tuple[float, str]] = []
    operations = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        label = f"{operation.method.upper()} {operation.path}"
        examples = SLOW_EXAMPLES if operation.path.endswith(SLOW_SUFFIXES) else MAX_EXAMPLES
        started = time.perf_counter()
        for mode, active_checks in (
            (GenerationMode.POSITIVE, positive_checks),
            (GenerationMode.NEGATIVE, negative_checks),
        ):
            # Unsatisfiable: no schema-invalid input exists for it (e.g. GET /healthz).
            with suppress(Unsatisfiable):
                fuzz(operation, mode, active_checks, examples, world, failures, label)()
        timings.append((time.perf_counter() - started, label))

    slowest = ", ".join(f"{label} {seconds:.1f}s" for seconds, label in sorted(timings)[-3:])
    print(f"\n{operations} operations; slowest: {slowest}")
    assert operations >= 20
    report = "\n\n".join(f"### {key}\n{detail}" for key, detail in sorted(failures.items()))
    assert not failures, f"{len(failures)} failing operation/check pairs:\n\n{report}"
