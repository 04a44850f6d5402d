"""The entry grid without a browser: codes and row numbers become the map, through the
same validation, version check and drafts as the form."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from app.participation import service
from app.participation.models import Submission
from tests.cohorts.conftest import browser_client, facilitator
from tests.participation.participation_support import sample_map

__all__ = ["browser_client", "facilitator"]


def row(n: int, **cells: str) -> dict[str, str]:
    return {f"r{n}.{name}": value for name, value in cells.items()}


def grid_post(client: Any, link: Any, fields: dict[str, str], **kw: Any) -> Any:
    page = client.get(link.page + "/sheet").text
    data: dict[str, Any] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    data.update(fields)
    return client.post(link.page + "/sheet", data=data, follow_redirects=False, **kw)


def stored(db: Any) -> Submission | None:
    db.expire_all()
    return db.scalar(select(Submission))


def test_grid_page_lists_the_sheet_columns_in_order(client: Any, link: Any) -> None:
    html = client.get(link.page + "/sheet").text
    order = ["col-label", "col-purpose", "col-organization", "col-origin", "col-closeness",
             "col-last_contact", "col-roles", "col-function", "col-industry", "col-qualities",
             "col-i_helped", "col-they_helped", "col-introduced", "col-knows"]
    positions = [html.index(f'id="{name}"') for name in order]
    assert positions == sorted(positions)
    assert html.count('name="r15.label"') == 1 and 'name="r16.label"' not in html
    assert "1</b> For the company" in html  # the codes key, from the program


def test_codes_and_row_numbers_become_the_map(client: Any, link: Any, db: Any) -> None:
    fields = {
        **row(1, label="M.R.", purpose="2", organization="2", origin="2", closeness="4",
              last_contact="2025-9", roles="1 4", qualities="1", i_helped="1", knows="2 3"),
        **row(2, label="Gio", purpose="1", organization="1", origin="1", closeness="3",
              last_contact="2025-10", roles="5", function="Sales"),
        **row(3, label="Zia", purpose="3"),
        "m1.text": "Lunch with M.R.", "m1.with": "1", "action": "save",
    }
    response = grid_post(client, link, fields)
    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith("/sheet?saved=1")
    submission = stored(db)
    assert submission is not None and submission.status == "draft"
    contacts = submission.map["contacts"]
    assert [c["label"] for c in contacts] == ["M.R.", "Gio", "Zia"]
    first = contacts[0]
    assert first["purpose"] == "growth" and first["organization"] == "outside"
    assert first["origin"] == "former_job" and first["closeness"] == 4
    assert first["last_contact"] == "2025-09" and first["roles"] == ["mentor", "community"]
    assert first["qualities"] == ["energizes"] and first["i_helped"] is True
    ids = [c["id"] for c in contacts]
    assert sorted(map(sorted, submission.map["ties"])) == sorted(
        [sorted([ids[0], ids[1]]), sorted([ids[0], ids[2]])])
    assert submission.map["commitments"] == [{"text": "Lunch with M.R.", "contact": ids[0]}]

    # Back on the grid, the map reads as codes again, in the same rows.
    html = client.get(link.page + "/sheet?saved=1").text
    assert 'name="r1.roles" value="1 4"' in html and 'name="r2.knows" value="1"' in html
    assert 'name="m1.with" value="1"' in html and "Draft saved" in html


def test_bad_codes_are_named_by_row_and_column_and_nothing_is_saved(
    client: Any, link: Any, db: Any
) -> None:
    fields = {
        **row(1, label="M.R.", purpose="7", roles="1 9"),
        **row(2, label="Gio", knows="12"),
        "action": "save",
    }
    response = grid_post(client, link, fields)
    assert response.status_code == 422
    html = response.text
    assert "Row 1, For the company or for me?: 7 is not a code of this list (1 to 3)" in html
    assert "Row 1, Roles: 9 is not a code of this list (1 to 8)" in html
    assert "Row 2, Who knows whom: row 12 is empty or not on the sheet" in html
    assert 'id="r1-purpose"' in html and 'aria-invalid="true"' in html
    assert 'value="M.R."' in html  # what was typed stays
    assert stored(db) is None


def test_submit_needs_the_required_columns(client: Any, link: Any, db: Any) -> None:
    response = grid_post(client, link, {**row(1, label="M.R.", purpose="1"), "action": "submit"})
    assert response.status_code == 422
    assert "Row 1, Where you met: needed before you submit" in response.text
    assert stored(db) is None
    # As a draft, the same row is kept: a draft may be incomplete.
    assert grid_post(client, link, {**row(1, label="M.R.", purpose="1"),
                                    "action": "save"}).status_code == 303


def test_a_stale_version_is_refused(client: Any, link: Any, db: Any) -> None:
    page = client.get(link.page + "/sheet").text  # version 0
    service.save_map(db, cohort_session=link.session, participant=link.participant,
                     program=link.cohort.program_definition(), data=sample_map())
    db.flush()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data.update(row(1, label="Other"), action="save")
    response = client.post(link.page + "/sheet", data=data, follow_redirects=False)
    assert response.status_code == 409
    assert "changed elsewhere" in response.text
    submission = stored(db)
    assert submission is not None and submission.map["contacts"][0]["label"] == "M.R."


def test_add_more_rows_and_italian(client: Any, make_link: Any) -> None:
    italian = make_link(language="it")
    response = grid_post(client, italian, {"action": "add_rows"})
    assert response.status_code == 200
    assert 'name="r20.label"' in response.text
    assert "Trascrivi una scheda cartacea" in response.text


def test_facilitator_participant_page_links_the_grid(
    browser_client: Any, make_cohort: Any, make_session: Any, facilitator: Any, db: Any
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    cohort_session = make_session(cohort)
    db.flush()
    session_page = browser_client.get(f"/sessions/{cohort_session.id}").text
    assert f"/api/v1/sessions/{cohort_session.id}/reports/worksheet.pdf" in session_page
    assert "Blank worksheet (PDF)" in session_page
    participant = cohort.participants[0]
    html = browser_client.get(f"/cohorts/{cohort.id}/participants/{participant.id}/edit").text
    assert "Type in the worksheet of session 1" in html
    url = re.search(r'href="(/p/[^"]+/sheet)"', html)
    assert url is not None
    assert "Type in a paper worksheet" in browser_client.get(url.group(1)).text
