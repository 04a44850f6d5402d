"""Erasing a participant or a whole cohort leaves nothing of them behind."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cohorts.models import Cohort, Participant, cohort_facilitators
from app.facilitators.models import Facilitator
from app.participation.models import Submission, SubmissionContact, SubmissionTie
from app.reports.models import CachedReport
from app.sessions.models import CohortSession, Invitation
from tests.cohorts.conftest import Browser, bearer


def count(db: Session, model: Any, *where: Any) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def cache_pdfs(db: Session, cohort_session: Any) -> None:
    for participant in cohort_session.cohort.participants:
        db.add(CachedReport(key=f"p{cohort_session.id}-{participant.id}", kind="individual",
                            session_id=cohort_session.id, participant_id=participant.id,
                            template_version="t", content=b"%PDF", byte_size=4))
    db.add(CachedReport(key=f"g{cohort_session.id}", kind="group", session_id=cohort_session.id,
                        participant_id=None, template_version="t", content=b"%PDF", byte_size=4))
    db.flush()


def world(db: Session, make_facilitator: Any, make_cohort: Any, make_session: Any,
          submit_maps: Any) -> tuple[Any, Any, Any]:
    facilitator = make_facilitator()
    cohort = make_cohort(facilitator, participants=4)
    first = make_session(cohort)
    submit_maps(first.id, submitted=3, drafts=1)
    cache_pdfs(db, first)
    return facilitator, cohort, first


def test_erasing_a_cohort_removes_everything_under_it(
    client: TestClient, db: Session, make_facilitator: Any, make_cohort: Any,
    make_session: Any, submit_maps: Any,
) -> None:
    facilitator, cohort, first = world(db, make_facilitator, make_cohort, make_session,
                                       submit_maps)
    _, kept, kept_session = world(db, make_facilitator, make_cohort, make_session, submit_maps)
    second = make_session(cohort)
    submit_maps(second.id, submitted=2)
    ids = {
        "cohort": cohort.id,
        "sessions": [first.id, second.id],
        "participants": [p.id for p in cohort.participants],
        "submissions": list(db.scalars(select(Submission.id).where(
            Submission.session_id.in_([first.id, second.id])))),
    }
    assert count(db, SubmissionContact, SubmissionContact.submission_id.in_(ids["submissions"]))
    kept_before = (count(db, Participant, Participant.cohort_id == kept.id),
                   count(db, Submission, Submission.session_id == kept_session.id),
                   count(db, CachedReport, CachedReport.session_id == kept_session.id))

    headers = bearer(client, facilitator.email)
    response = client.delete(f"/api/v1/cohorts/{cohort.id}", headers=headers)
    assert response.status_code == 204
    db.expire_all()
    assert count(db, Cohort, Cohort.id == ids["cohort"]) == 0
    assert count(db, cohort_facilitators, cohort_facilitators.c.cohort_id == ids["cohort"]) == 0
    assert count(db, CohortSession, CohortSession.cohort_id == ids["cohort"]) == 0
    assert count(db, Participant, Participant.id.in_(ids["participants"])) == 0
    assert count(db, Invitation, Invitation.session_id.in_(ids["sessions"])) == 0
    assert count(db, Invitation, Invitation.participant_id.in_(ids["participants"])) == 0
    assert count(db, Submission, Submission.id.in_(ids["submissions"])) == 0
    assert count(db, SubmissionContact,
                 SubmissionContact.submission_id.in_(ids["submissions"])) == 0
    assert count(db, SubmissionTie, SubmissionTie.submission_id.in_(ids["submissions"])) == 0
    assert count(db, CachedReport, CachedReport.session_id.in_(ids["sessions"])) == 0
    assert count(db, CachedReport, CachedReport.participant_id.in_(ids["participants"])) == 0
    # The facilitator's account and the other cohort are untouched.
    assert db.get(Facilitator, facilitator.id) is not None
    assert kept_before == (count(db, Participant, Participant.cohort_id == kept.id),
                           count(db, Submission, Submission.session_id == kept_session.id),
                           count(db, CachedReport, CachedReport.session_id == kept_session.id))


def test_erasing_a_cohort_in_the_browser_needs_its_name(
    client: TestClient, db: Session, make_facilitator: Any, make_cohort: Any,
    make_session: Any, submit_maps: Any,
) -> None:
    facilitator, cohort, first = world(db, make_facilitator, make_cohort, make_session,
                                       submit_maps)
    browser = Browser(client, facilitator).sign_in()
    page = browser.get(f"/cohorts/{cohort.id}/delete")
    assert page.status_code == 200 and "cannot be undone" in page.text
    wrong = browser.post(f"/cohorts/{cohort.id}/delete", data={"confirm_name": "nope"})
    assert wrong.status_code == 422
    assert count(db, Cohort, Cohort.id == cohort.id) == 1
    cohort_id, session_id = cohort.id, first.id
    done = browser.post(f"/cohorts/{cohort_id}/delete", data={"confirm_name": cohort.name})
    assert done.status_code == 303 and "cohort_deleted" in done.headers["location"]
    db.expire_all()
    assert count(db, Cohort, Cohort.id == cohort_id) == 0
    assert count(db, Submission, Submission.session_id == session_id) == 0


def test_removing_a_participant_erases_their_data_and_stale_group_pdfs(
    client: TestClient, db: Session, make_facilitator: Any, make_cohort: Any,
    make_session: Any, submit_maps: Any,
) -> None:
    facilitator, cohort, first = world(db, make_facilitator, make_cohort, make_session,
                                       submit_maps)
    leaving = cohort.participants[0]
    staying = cohort.participants[1]
    leaving_id, staying_id, session_id = leaving.id, staying.id, first.id
    submissions = list(db.scalars(select(Submission.id).where(
        Submission.participant_id == leaving.id)))
    assert submissions
    response = client.delete(f"/api/v1/cohorts/{cohort.id}/participants/{leaving_id}",
                             headers=bearer(client, facilitator.email))
    assert response.status_code == 204
    db.expire_all()
    assert count(db, Participant, Participant.id == leaving_id) == 0
    assert count(db, Invitation, Invitation.participant_id == leaving_id) == 0
    assert count(db, Submission, Submission.participant_id == leaving_id) == 0
    assert count(db, SubmissionContact, SubmissionContact.submission_id.in_(submissions)) == 0
    assert count(db, CachedReport, CachedReport.participant_id == leaving_id) == 0
    # The group PDF counted them: it is gone too. Others' maps stay.
    assert count(db, CachedReport, CachedReport.kind == "group",
                 CachedReport.session_id == session_id) == 0
    assert count(db, Submission, Submission.participant_id == staying_id) == 1
