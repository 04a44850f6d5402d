"""Participation: a personal link, the map of one session, saving and submitting it.

Endpoints stay thin: they resolve the link with `open_link`, then call the
functions here. Every failure is a domain exception the endpoints turn into a
4xx: `LinkClosed` (deadline passed), `VersionConflict` (changed elsewhere),
`MapValidationError` (the analysis core's, with one `path: problem` per line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.analysis import MapValidationError, NetworkMap, Program, parse_map
from app.cohorts.models import Cohort, Participant, program_from_snapshot
from app.core.security import sha256_hex
from app.core.timezones import format_local
from app.participation import repository
from app.participation.models import Submission, SubmissionStatus
from app.reports.repository import invalidate_participant as invalidate_reports
from app.sessions import repository as sessions
from app.sessions.models import CohortSession, Invitation, SessionStatus
from app.sessions.service import MAX_TOKEN_LENGTH

DRAFT = SubmissionStatus.DRAFT
SUBMITTED = SubmissionStatus.SUBMITTED
NOT_STARTED = "not_started"  # no submission row yet: the status the form and API show
MAX_SAVE_ATTEMPTS = 3


class VersionConflict(Exception):
    """The map changed elsewhere (another tab or device) since the client loaded it."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            "version: this map was changed elsewhere (another tab or device) since you "
            f"loaded it; it is now at version {current_version}. Reload to see the latest "
            "version before saving again."
        )


class LinkClosed(Exception):
    """The session's deadline has passed: the map can be read but no longer changed."""

    def __init__(self, deadline: datetime, time_zone: str | None = None) -> None:
        self.deadline = deadline
        super().__init__(
            f"deadline: this session closed on {format_local(deadline, time_zone, 'en')}; "
            "the map can no longer be changed"
        )


@dataclass
class Link:
    """Everything a personal link opens: who, which session, under which program."""

    invitation: Invitation
    participant: Participant
    cohort_session: CohortSession
    cohort: Cohort
    program: Program
    # This session's map as it was when the link was opened, read in the same query
    # (None: nothing saved yet). Reads after a write in the same session must re-read.
    submission: Submission | None = None

    @property
    def deadline(self) -> datetime:
        return self.cohort_session.deadline

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return self.cohort_session.status != SessionStatus.CLOSED and now < self.deadline

    def ensure_open(self) -> None:
        if not self.is_open():
            raise LinkClosed(self.deadline, self.cohort.time_zone)

    @property
    def default_language(self) -> str:
        return self.participant.language or self.cohort.language or "en"


def open_link(db: Session, token: str) -> Link | None:
    """The link for a token, or None when it is unknown, malformed or revoked."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    found = repository.link_by_token_hash(db, sha256_hex(token))
    if found is None or found[0].revoked_at is not None:
        return None
    invitation, cohort_session, cohort, participant, submission, snapshot = found
    return Link(
        invitation=invitation,
        participant=participant,
        cohort_session=cohort_session,
        cohort=cohort,
        program=program_from_snapshot(snapshot),
        submission=submission,
    )


def mark_opened(db: Session, invitation_id: int) -> None:
    """Record the first time a link was opened (later visits change nothing)."""
    sessions.mark_opened(db, invitation_id, datetime.now(UTC))


# --- reading ----------------------------------------------------------------------------


def previous_submission(db: Session, link: Link) -> tuple[Submission | None, bool]:
    """The participant's last submitted map from an earlier session of the cohort, and
    whether it is last session's (whose commitments this session ticks)."""
    if link.cohort_session.number <= 1:  # sessions are numbered from 1: nothing earlier
        return None, False
    found = repository.previous_submitted(
        db, link.participant.id, link.cohort.id, link.cohort_session.number
    )
    if found is None:
        return None, False
    return found[0], found[1] == link.cohort_session.number - 1


@dataclass
class MapState:
    """What the form and the API show: the map, its version and where it came from."""

    map: dict[str, Any]
    version: int
    status: str
    submission: Submission | None
    carried_forward: bool
    previous: Submission | None
    previous_commitments: list[dict[str, Any]]

    @property
    def last_contacts_before(self) -> dict[str, str]:
        """Last contact per contact id in the previous map, to highlight for updating."""
        if self.previous is None:
            return {}
        return {
            contact["id"]: contact["last_contact"]
            for contact in self.previous.map.get("contacts", [])
            if contact.get("last_contact")
        }


def map_status(link: Link) -> str:
    """The status of this link's map when the link was opened (NOT_STARTED before the
    first save)."""
    return link.submission.status if link.submission is not None else NOT_STARTED


def map_state(db: Session, link: Link, *, reread: bool = True) -> MapState:
    """`reread=False` takes the map read with the link: only when nothing was written in
    this session since `open_link`."""
    if reread:
        submission = repository.get_submission(
            db, link.cohort_session.id, link.participant.id
        )
    else:
        submission = link.submission
    previous, last_session = previous_submission(db, link)
    # Only last session's commitments are ticked: every report compares with last
    # session's map, so ticks on older commitments would count nowhere.
    review = _review_items(previous if last_session else None, submission)
    if submission is not None:
        return MapState(
            map=submission.map, version=submission.version, status=submission.status,
            submission=submission, carried_forward=False, previous=previous,
            previous_commitments=review,
        )
    if previous is not None:
        # This month is an update of last month: same people, new commitments.
        carried = {**previous.map, "commitments": []}
        return MapState(
            map=carried, version=0, status=NOT_STARTED, submission=None, carried_forward=True,
            previous=previous, previous_commitments=review,
        )
    return MapState(
        map={"contacts": [], "ties": [], "commitments": []}, version=0, status=NOT_STARTED,
        submission=None, carried_forward=False, previous=None, previous_commitments=[],
    )


def _review_items(
    previous: Submission | None, submission: Submission | None
) -> list[dict[str, Any]]:
    if previous is None:
        return []
    stored = (submission.commitment_review or []) if submission is not None else []
    items = []
    for index, commitment in enumerate(previous.map.get("commitments", [])):
        kept = stored[index].get("kept") if index < len(stored) else None
        items.append(
            {"text": commitment.get("text", ""), "contact": commitment.get("contact"), "kept": kept}
        )
    return items


# --- writing ----------------------------------------------------------------------------


def review_from_answers(
    previous_commitments: list[dict[str, Any]], answers: Any
) -> list[dict[str, Any]]:
    """Ticks on last session's commitments: a list of true / false / null, one per commitment."""
    if not isinstance(answers, list) or not all(
        answer is None or isinstance(answer, bool) for answer in answers
    ):
        raise MapValidationError(["commitment_review: must be a list of true, false or null"])
    if len(answers) > len(previous_commitments):
        raise MapValidationError(
            [f"commitment_review: there are {len(previous_commitments)} earlier commitments, "
             f"got {len(answers)} answers"]
        )
    padded = [*answers, *[None] * (len(previous_commitments) - len(answers))]
    return [
        {"text": item["text"], "contact": item.get("contact"), "kept": kept}
        for item, kept in zip(previous_commitments, padded, strict=True)
    ]


class Unseen:
    """`save_map` was not given the row as read before its transaction."""


UNSEEN = Unseen()


def save_map(
    db: Session,
    *,
    cohort_session: CohortSession,
    participant: Participant,
    program: Program,
    data: Any,
    expected_version: int | None = None,
    submit: bool = False,
    commitment_review: list[dict[str, Any]] | None = None,
    seen: Submission | Unseen | None = UNSEEN,
) -> Submission:
    """Validate and store a map as a draft, or submit it.

    `data` is the map's JSON, or a PreparedMap validated before the transaction began
    (keep write transactions short: on SQLite they hold the database's write lock).

    - `expected_version` (the client's last seen version, 0 for "nothing saved
      yet", None for "whatever is there") guards against stale tabs: a
      mismatch raises VersionConflict, unless the map sent is the one stored.
    - Saving exactly what is stored changes nothing and bumps no version, so a
      double click or a second tab submitting the same map is one submission.
    - Once submitted, a map stays submitted: later saves must be complete and
      count as resubmissions.
    - Two first saves racing each other: the loser of the insert re-reads the
      winner's row and goes through the version check like any other save.
    - `seen`: the row as read before this transaction (None: there was none), so that
      the transaction need not read it again. It is trusted only where the database
      re-checks it: a save of what is stored changes nothing (nothing is written), an
      update is conditional on the version seen, an insert on there being no row. Any
      other outcome (a conflict, a lost race) is decided on the row read here.
    """
    for attempt in range(MAX_SAVE_ATTEMPTS):
        if attempt == 0 and not isinstance(seen, Unseen):
            submission = seen
            if not _seen_is_enough(seen, expected_version, data, submit, commitment_review):
                continue  # decide on the row as it is now
        else:
            submission = repository.get_submission(db, cohort_session.id, participant.id)
        if submission is None:
            if expected_version not in (None, 0):
                raise VersionConflict(0)
            parsed = _parse(data, program, complete=submit, latest=session_month(cohort_session))
            inserted = _insert(db, cohort_session, participant, parsed, submit, commitment_review)
            if inserted is not None:
                return inserted
            continue  # a concurrent first save won the insert: compare with its row

        parsed = _parse(
            data, program, complete=submit or submission.status == SUBMITTED,
            latest=session_month(cohort_session),
        )
        canonical = _canonical(parsed)
        review = submission.commitment_review if commitment_review is None else commitment_review
        unchanged = submission.map == canonical and submission.commitment_review == review
        if unchanged and (not submit or submission.status == SUBMITTED):
            return submission
        if expected_version is not None and expected_version != submission.version:
            raise VersionConflict(submission.version)

        # Only if nobody saved since we read it: the UPDATE re-checks the version under
        # the row's lock, so of N concurrent saves of one version exactly one succeeds.
        now = datetime.now(UTC)
        submitted = submit or submission.status == SUBMITTED
        saved = repository.update_if_version(
            db, submission, submission.version,
            map=canonical, commitment_review=review, updated_at=now,
            status=SUBMITTED if submitted else DRAFT,
            submitted_at=now if submitted else submission.submitted_at,
        )
        if saved:
            if submitted:
                _replace_rows(db, submission, parsed)
                invalidate_reports(db, participant.id)
            return submission
        if expected_version is not None:
            raise VersionConflict(repository.current_version(db, submission.id))
        # "Whatever is there": read the newer version and apply this save on top of it.
    if submission is None:
        raise VersionConflict(0)
    raise VersionConflict(repository.current_version(db, submission.id))


def _seen_is_enough(
    seen: Submission | None, expected_version: int | None, data: Any, submit: bool,
    commitment_review: list[dict[str, Any]] | None,
) -> bool:
    """Whether the row read before the transaction can decide this save: when the save
    goes ahead (the insert or the conditional update re-checks it in the database), or
    changes nothing. A conflict is reported from the row as it is now, not as seen."""
    if seen is None:
        return expected_version in (None, 0)
    if expected_version is None or expected_version == seen.version:
        return True
    # A mismatched version is not a conflict if the map sent is the one stored.
    if not isinstance(data, PreparedMap) or (submit and seen.status != SUBMITTED):
        return False
    if not data.complete and seen.status == SUBMITTED:
        return False
    review = seen.commitment_review if commitment_review is None else commitment_review
    return seen.map == _canonical(data.parsed) and seen.commitment_review == review


@dataclass(frozen=True)
class PreparedMap:
    """A map already validated, so a request can do that before its write transaction."""

    parsed: NetworkMap
    complete: bool


def prepare_map(
    data: Any, program: Program, cohort_session: CohortSession, *, complete: bool
) -> PreparedMap:
    parsed = _parse(data, program, complete=complete, latest=session_month(cohort_session))
    return PreparedMap(parsed, complete)


def session_month(cohort_session: CohortSession) -> str:
    """The latest month a contact can have been last seen: the session's ("YYYY-MM")."""
    return cohort_session.deadline.strftime("%Y-%m")


def _parse(data: Any, program: Program, *, complete: bool, latest: str) -> NetworkMap:
    if isinstance(data, PreparedMap) and (data.complete or not complete):
        return data.parsed
    if isinstance(data, PreparedMap):  # validated as a draft, but must now be complete
        data = _canonical(data.parsed)
    parsed = parse_map(data, program, draft=not complete, latest_month=latest).map
    if complete and not parsed.contacts:
        raise MapValidationError(["contacts: add at least one person before submitting"])
    return parsed


def _canonical(network_map: NetworkMap) -> dict[str, Any]:
    data: dict[str, Any] = network_map.model_dump(mode="json", exclude_none=True)
    data["ties"] = [list(tie) for tie in data.get("ties", [])]
    return data


def _insert(
    db: Session,
    cohort_session: CohortSession,
    participant: Participant,
    parsed: NetworkMap,
    submit: bool,
    commitment_review: list[dict[str, Any]] | None,
) -> Submission | None:
    """Insert the first version; None when a concurrent request inserted it first."""
    now = datetime.now(UTC)
    submission = Submission(
        session_id=cohort_session.id,
        participant_id=participant.id,
        map=_canonical(parsed),
        commitment_review=commitment_review,
        version=1,
        status=SUBMITTED if submit else DRAFT,
        created_at=now,
        updated_at=now,
        submitted_at=now if submit else None,
    )
    try:
        with db.begin_nested():
            db.add(submission)
            db.flush()
    except IntegrityError:
        return None
    if submit:
        _replace_rows(db, submission, parsed)
        invalidate_reports(db, participant.id)
    return submission


def _replace_rows(db: Session, submission: Submission, network_map: NetworkMap) -> None:
    """The submitted map's contacts and ties as rows (for queries), replaced in two bulk
    statements. A draft has none: autosave writes only the map, and reports (whose cached
    PDFs a save invalidates) are made from submitted maps."""
    repository.replace_rows(
        db,
        submission.id,
        contacts=[
            {
                "position": position,
                "contact_key": contact.id,
                "label": contact.label,
                "purpose": contact.purpose,
                "roles": list(contact.roles),
                "origin": contact.origin,
                "organization": contact.organization,
                "function": contact.function,
                "industry": contact.industry,
                "qualities": list(contact.qualities),
                "closeness": contact.closeness,
                "last_contact": contact.last_contact,
                "i_helped": contact.i_helped,
                "they_helped": contact.they_helped,
                "introduced": contact.introduced,
            }
            for position, contact in enumerate(network_map.contacts)
        ],
        ties=[{"source_key": source, "target_key": target} for source, target in network_map.ties],
    )
