"""The journey: the cohort's (anonymised as the group report) and a participant's own,
across 1, 2 and 8 sessions, read back from the PDF."""

from __future__ import annotations

import io
import re
import statistics
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.analysis import count_shown, default_program_path, load_program
from app.cohorts.models import Cohort, Participant
from app.participation.models import Submission
from app.reports.models import CachedReport
from tests.cohorts.conftest import Browser, auth, browser_client, facilitator
from tests.factories import build_journey

__all__ = ["auth", "browser_client", "facilitator"]

SHOTS = Path("/tmp/wellspring-screenshots")


def text_of(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    return text, reader


def snapshot(pdf: bytes, name: str) -> None:
    """PNGs of the pages (pdftoppm), to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(SHOTS / name)], check=True)


def cohort_for(db: Session, facilitator: Any, sessions: int, participants: int = 6,
               language: str = "en", **kwargs: Any) -> Cohort:
    cohort = build_journey(db, participants=participants, sessions=sessions, language=language,
                           seed=sessions, **kwargs)
    cohort.facilitators.append(facilitator)
    db.flush()
    return cohort


def token_of(db: Session, cohort: Cohort, participant: Participant) -> str:
    """build_journey's invitations hash "session id:participant id" as their token."""
    latest = max(cohort.sessions, key=lambda s: s.number)
    return f"{latest.id}:{participant.id}"


def labels(db: Session, cohort: Cohort) -> list[str]:
    ids = [s.id for s in cohort.sessions]
    return sorted({c["label"] for sub in db.query(Submission).filter(
        Submission.session_id.in_(ids)) for c in sub.map["contacts"] if len(c["label"]) >= 4})


def medians(db: Session, cohort: Cohort, number: int) -> dict[str, float]:
    session = next(s for s in cohort.sessions if s.number == number)
    sizes = [len(sub.map["contacts"]) for sub in
             db.query(Submission).filter_by(session_id=session.id, status="submitted")]
    return {"size": statistics.median(sizes), "maps": len(sizes)}


def cohort_ticks(db: Session, cohort: Cohort, number: int) -> dict[bool | None, int]:
    """What everyone ticked at session ``number`` on the commitments of the month before."""
    counts: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    by_number = {s.number: s for s in cohort.sessions}
    for sub in db.query(Submission).filter_by(session_id=by_number[number].id):
        before = db.query(Submission).filter_by(session_id=by_number[number - 1].id,
                                                participant_id=sub.participant_id).one()
        made = len(before.map.get("commitments", []))
        ticks = [item["kept"] for item in sub.commitment_review or []][:made]
        for answer in ticks + [None] * (made - len(ticks)):
            counts[answer] += 1
    return counts


@pytest.mark.parametrize("sessions", [1, 2, 8])
def test_the_cohorts_journey(
    client: TestClient, auth: dict[str, str], db: Session, facilitator: Any, sessions: int,
) -> None:
    cohort = cohort_for(db, facilitator, sessions)
    response = client.get(f"/api/v1/cohorts/{cohort.id}/reports/journey.pdf", headers=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text, reader = text_of(response.content)
    snapshot(response.content, f"journey-cohort-{sessions}")
    assert "The journey so far" in text and cohort.name in text
    assert reader.metadata.title.startswith("The journey so far")
    # Numbers match the data: each month's maps submitted and median size are in the table.
    table = text[text.index("Month by month"):]
    for number in range(1, sessions + 1):
        figures = medians(db, cohort, number)
        assert f"{figures['maps']} of 6" in table
    sizes = " ".join(f"{medians(db, cohort, n)['size']:g}" for n in range(1, sessions + 1))
    assert f"People on the map {sizes}" in table
    # Commitments as ticked, each tally under the disclosure rule.
    rows = {word: re.search(rf"Commitments {word} ((?:(?:–|\d+ of \d+) ?)+)", table)
            for word in ("kept", "not kept", "not sure")}
    cells = {word: re.findall(r"–|\d+ of \d+", row.group(1)) if row else []
             for word, row in rows.items()}
    for word in cells:
        assert len(cells[word]) == sessions and cells[word][0] == "–", word
    for number in range(2, sessions + 1):
        counts = cohort_ticks(db, cohort, number)
        total = sum(counts.values())
        hidden = 0
        for word, answer in (("kept", True), ("not kept", False), ("not sure", None)):
            cell = cells[word][number - 1]
            if not (total and count_shown(counts[answer], total)):
                assert cell == "–", (number, word)
            if cell == "–":
                hidden += 1
            else:
                assert cell == f"{counts[answer]} of {total}", (number, word)
        assert hidden != 1, number  # the total would give a lone hidden tally away
    # Anonymised: no contact label, no participant name.
    assert not [label for label in labels(db, cohort) if label in text]
    assert not [p.name for p in cohort.participants if p.name in text]
    if sessions == 1:
        assert "There is only one month with figures so far" in text
    else:
        assert f"Session 1 Session {sessions} Change" in text
    if sessions == 8:
        assert "Comparing your first and last maps" in text
    # Cached: the second request is the same PDF, and If-None-Match gives 304.
    again = client.get(f"/api/v1/cohorts/{cohort.id}/reports/journey.pdf",
                       headers={**auth, "If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_cohorts_journey_hides_small_months(
    client: TestClient, auth: dict[str, str], db: Session, facilitator: Any,
) -> None:
    # Month 2: only 2 of 5 submit, so that month shows nothing but participation.
    skip = frozenset((2, index) for index in range(3))
    cohort = cohort_for(db, facilitator, 3, participants=5, skip=skip)
    response = client.get(f"/api/v1/cohorts/{cohort.id}/reports/journey.pdf", headers=auth)
    text, _ = text_of(response.content)
    table = text[text.index("Month by month"):]
    assert "Maps submitted 5 of 5 2 of 5 5 of 5" in table
    row = re.search(r"People on the map (\S+) (\S+) (\S+)", table)
    assert row is not None and row.group(2) == "–", table[:400]
    # Commitments kept: a count under 3 (or all but under 3) is never printed.
    kept = re.search(r"Commitments kept (.+?) People on the map", table)
    assert kept is not None
    for k, n in re.findall(r"(\d+) of (\d+)", kept.group(1)):
        assert int(k) in (0, int(n)) or (int(k) >= 3 and int(n) - int(k) >= 3), kept.group(1)


def test_italian_journey(
    client: TestClient, auth: dict[str, str], db: Session, facilitator: Any,
) -> None:
    cohort = cohort_for(db, facilitator, 2, language="it")
    response = client.get(f"/api/v1/cohorts/{cohort.id}/reports/journey.pdf", headers=auth)
    text, reader = text_of(response.content)
    assert "Il percorso finora" in text and "Mese per mese" in text
    assert reader.trailer["/Root"]["/Lang"] == "it"


def test_the_participants_own_journey(client: TestClient, db: Session, facilitator: Any) -> None:
    cohort = cohort_for(db, facilitator, 8, participants=4)
    person = sorted(cohort.participants, key=lambda p: p.id)[0]
    response = client.get(f"/api/v1/p/{token_of(db, cohort, person)}/journey.pdf")
    assert response.status_code == 200, response.text
    text, _ = text_of(response.content)
    snapshot(response.content, "journey-participant-8")
    assert person.name in text
    own = [len(sub.map["contacts"]) for sub, _ in sorted(
        ((sub, s.number) for s in cohort.sessions for sub in
         db.query(Submission).filter_by(session_id=s.id, participant_id=person.id)),
        key=lambda pair: pair[1])]
    assert f"People on the map {' '.join(str(n) for n in own)}" in text
    assert f"Session 1 Session 8 Change {'People on the map'} {own[0]} {own[-1]}" in text
    # Commitments as ticked, month by month: kept, not kept and not sure of those made.
    subs = {s.number: db.query(Submission).filter_by(session_id=s.id, participant_id=person.id)
            .one() for s in cohort.sessions}
    expected = {"kept": ["–"], "not kept": ["–"], "not sure": ["–"]}
    for number in range(2, 9):
        made = len(subs[number - 1].map.get("commitments", []))
        ticks = [item["kept"] for item in subs[number].commitment_review or []][:made]
        ticks += [None] * (made - len(ticks))
        for word, answer in (("kept", True), ("not kept", False), ("not sure", None)):
            expected[word].append(f"{ticks.count(answer)} of {made}" if made else "–")
    for word in ("kept", "not kept", "not sure"):
        assert f"Commitments {word} {' '.join(expected[word])}" in text, word
    # Another participant's name is not in it.
    assert not [p.name for p in cohort.participants if p.id != person.id and p.name in text]


def test_the_participant_journey_is_linked_and_erased(
    client: TestClient, db: Session, facilitator: Any,
) -> None:
    cohort = cohort_for(db, facilitator, 2, participants=3)
    person = sorted(cohort.participants, key=lambda p: p.id)[0]
    token = token_of(db, cohort, person)
    page = client.get(f"/p/{token}/report")
    assert f"/api/v1/p/{token}/journey.pdf" in page.text
    assert client.get(f"/api/v1/p/{token}/journey.pdf").status_code == 200
    assert db.query(CachedReport).filter_by(kind="journey", participant_id=person.id).count() == 1
    assert client.delete(f"/api/v1/p/{token}").status_code in (200, 204)
    assert db.query(CachedReport).filter_by(kind="journey", participant_id=person.id).count() == 0
    assert client.get(f"/api/v1/p/{token}/journey.pdf").status_code == 404


def test_erasure_also_drops_the_cohorts_journey(
    client: TestClient, auth: dict[str, str], db: Session, facilitator: Any,
) -> None:
    cohort = cohort_for(db, facilitator, 2, participants=4)
    assert client.get(f"/api/v1/cohorts/{cohort.id}/reports/journey.pdf",
                      headers=auth).status_code == 200
    cached = db.query(CachedReport).filter_by(kind="journey", participant_id=None)
    assert cached.count() == 1
    person = sorted(cohort.participants, key=lambda p: p.id)[0]
    assert client.delete(f"/api/v1/p/{token_of(db, cohort, person)}").status_code in (200, 204)
    assert cached.count() == 0


def test_only_the_cohorts_facilitators(
    client: TestClient, auth: dict[str, str], db: Session, make_facilitator: Any,
) -> None:
    other = build_journey(db, participants=3, sessions=1, seed=99)
    other.facilitators.append(make_facilitator())
    db.flush()
    url = f"/api/v1/cohorts/{other.id}/reports/journey.pdf"
    assert client.get(url, headers=auth).status_code == 404
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/p/no-such-token/journey.pdf").status_code == 404


def test_a_participant_with_no_map_yet(client: TestClient, db: Session, facilitator: Any) -> None:
    cohort = cohort_for(db, facilitator, 1, participants=3, skip=frozenset({(1, 0)}))
    person = sorted(cohort.participants, key=lambda p: p.id)[0]
    response = client.get(f"/api/v1/p/{token_of(db, cohort, person)}/journey.pdf")
    assert response.status_code == 404
    assert "journey" in response.text


def test_program_has_a_closing_topic() -> None:
    program = load_program(default_program_path())
    assert "first and last maps" in program.sessions[-1].topic["en"]


def test_linked_from_the_cohort_page(
    browser_client: Browser, db: Session, facilitator: Any,
) -> None:
    cohort = cohort_for(db, facilitator, 2, participants=3)
    page = browser_client.get(f"/cohorts/{cohort.id}")
    url = f"/api/v1/cohorts/{cohort.id}/reports/journey.pdf"
    assert f'href="{url}"' in page.text
    response = browser_client.get(url)  # the signed-in page's cookie is enough
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_every_page_names_its_person_and_escapes_their_text(
    client: TestClient, db: Session, facilitator: Any,
) -> None:
    cohort = cohort_for(db, facilitator, 8, participants=3, name="Cohort <i>A</i> & co")
    person = sorted(cohort.participants, key=lambda p: p.id)[0]
    person.name = '<img src="http://127.0.0.1:9/x.png">Zoë'
    db.flush()
    response = client.get(f"/api/v1/p/{token_of(db, cohort, person)}/journey.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f'{person.name} · Cohort <i>A</i> & co' in text, (number, text[:200])
        assert f"page {number} of {len(pages)}" in text
    assert reader.metadata.title == f"The journey so far · {person.name}"


def test_a_participants_own_pdfs_follow_their_language(
    client: TestClient, db: Session, facilitator: Any,
) -> None:
    """An English cohort; a participant whose roster language is Italian gets their report
    and journey in Italian, and ?lang=en switches them back. The pack keeps the cohort's."""
    cohort = cohort_for(db, facilitator, 2, participants=3)
    person = sorted(cohort.participants, key=lambda p: p.id)[0]
    person.language = "it"
    db.flush()
    base = f"/api/v1/p/{token_of(db, cohort, person)}"
    for path in ("/report.pdf", "/journey.pdf"):
        italian = client.get(base + path)
        assert italian.status_code == 200, italian.text
        assert text_of(italian.content)[1].trailer["/Root"]["/Lang"] == "it", path
        english = client.get(base + path + "?lang=en")
        assert text_of(english.content)[1].trailer["/Root"]["/Lang"] == "en", path
        assert english.headers["etag"] != italian.headers["etag"]
    page = client.get(f"/p/{token_of(db, cohort, person)}/report")
    assert page.status_code == 200 and 'lang="it"' in page.text


def test_the_cohorts_reconnections_are_a_total_and_say_so(
    client: TestClient, auth: dict[str, str], db: Session, facilitator: Any,
) -> None:
    """Beside medians per map, the cohort's reconnections are every map's added up (as in
    the group report): the row says so, and its figure is the group report's."""
    cohort = cohort_for(db, facilitator, 3)
    text, _ = text_of(client.get(f"/api/v1/cohorts/{cohort.id}/reports/journey.pdf",
                                 headers=auth).content)
    table = text[text.index("Month by month"):]
    expected = ["–"]
    for number in (2, 3):
        session = next(s for s in cohort.sessions if s.number == number)
        group = client.get(f"/api/v1/sessions/{session.id}/group", headers=auth).json()
        figure = group["change"]["dormant_reconnected"]
        expected.append("–" if figure is None else str(figure))
    assert f"Dormant ties reconnected, all maps together {' '.join(expected)}" in table
