"""The participant's pages without JavaScript: plain form posts, carry-forward, import, Italian."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select

from app.participation import repository, service
from app.participation.models import Submission
from tests.participation.conftest import link_for
from tests.participation.participation_support import sample_map


def form_fields(html: str) -> list[tuple[str, str]]:
    """What a browser without JavaScript would post back unchanged (text, hidden, checked)."""
    fields: list[tuple[str, str]] = []
    for tag in re.findall(r"<input\b[^>]*>", html):
        attrs = dict(re.findall(r'(\w[\w.-]*)="([^"]*)"', tag))
        kind = attrs.get("type", "text")
        if "name" not in attrs or kind == "file":
            continue
        if kind in ("checkbox", "radio") and " checked" not in tag:
            continue
        fields.append((attrs["name"], _unescape(attrs.get("value", ""))))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields.append((name, _unescape(chosen.group(1)) if chosen else ""))
    return fields


def _unescape(text: str) -> str:
    return (text.replace("&#34;", '"').replace("&quot;", '"').replace("&#39;", "'")
            .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


def post(client: Any, url: str, fields: list[tuple[str, str]], action: str, **kw: Any) -> Any:
    data = [item for item in fields if item[0] != "action"] + [("action", action)]
    return client.post(url, data=_dict(data), follow_redirects=False, **kw)


def _dict(items: list[tuple[str, str]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for key, value in items:
        if key in merged:
            before = merged[key] if isinstance(merged[key], list) else [merged[key]]
            merged[key] = [*before, value]
        else:
            merged[key] = value
    return merged


def replace(fields: list[tuple[str, str]], name: str, *values: str) -> list[tuple[str, str]]:
    return [item for item in fields if item[0] != name] + [(name, value) for value in values]


def stored(db: Any) -> Submission | None:
    db.expire_all()
    return db.scalar(select(Submission))


def test_form_page_is_labelled_and_private(client, link):
    response = client.get(link.page)
    assert response.status_code == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    assert "Hello Participant 1" in html and "use initials or nicknames" in html.lower()
    # Every visible input has a label: by for= or by wrapping.
    for input_id in re.findall(r'<input[^>]*type="(?:text|month)"[^>]*id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    assert 'aria-describedby="help-closeness' in html and 'id="help-closeness"' in html
    assert "<legend>" in html and 'list="functions"' in html and "<datalist" in html
    assert '<script src="/static/participant.js"' in html and "<script>" not in html


def test_save_without_javascript_then_resume(client, link, db):
    fields = form_fields(client.get(link.page).text)
    fields = replace(fields, "c0.label", "M.R.")
    fields = replace(fields, "c0.purpose", "growth")
    fields = replace(fields, "c0.roles", "mentor", "community")
    fields = replace(fields, "c0.closeness", "4")
    fields = replace(fields, "c0.last_contact", "2025-9")
    fields = replace(fields, "c1.label", "Gio")
    fields = replace(fields, "m0.text", "Coffee with Gio")
    response = post(client, link.page, fields, "save")
    assert response.status_code == 303 and response.headers["location"].endswith("?saved=1")
    submission = stored(db)
    assert submission is not None and submission.version == 1
    first = submission.map["contacts"][0]
    assert first["label"] == "M.R." and first["roles"] == ["mentor", "community"]
    assert first["last_contact"] == "2025-09" and first["closeness"] == 4
    assert submission.map["commitments"] == [{"text": "Coffee with Gio"}]

    # Any device with the same link: the page comes back with everything, and ties can be set.
    page = client.get(link.page + "?saved=1").text
    assert "Draft saved" in page and 'value="M.R."' in page
    fields = form_fields(page)
    ids = [value for name, value in fields if re.fullmatch(r"c\d\.id", name)]
    fields = [*fields, ("c0.knows", ids[1])]
    assert post(client, link.page, fields, "save").status_code == 303
    assert stored(db).map["ties"] == [[ids[0], ids[1]]]

    # Unticking one side of a pair removes it.
    fields = form_fields(client.get(link.page).text)
    assert ("c1.knows", ids[0]) in fields and ("c0.knows", ids[1]) in fields
    fields = [item for item in fields if item != ("c1.knows", ids[0])]
    assert post(client, link.page, fields, "save").status_code == 303
    assert stored(db).map["ties"] == []


def test_errors_are_shown_next_to_fields_and_typed_values_kept(client, link, db):
    fields = form_fields(client.get(link.page).text)
    fields = replace(fields, "c0.label", "M.R.")
    fields = replace(fields, "c0.function", "Finance & Ops")
    fields = replace(fields, "c1.function", "typed but no name")
    response = post(client, link.page, fields, "submit")
    assert response.status_code == 422
    html = response.text
    assert 'id="c0-purpose-error"' in html and "needed before you submit" in html
    assert 'id="c1-label-error"' in html and "please fill this in" in html
    assert 'value="Finance &amp; Ops"' in html and 'value="typed but no name"' in html
    assert 'aria-invalid="true"' in html and 'id="error-summary"' in html
    assert stored(db) is None


def test_stale_form_gets_changed_elsewhere(client, link, db):
    fields = form_fields(client.get(link.page).text)
    client.put(link.api + "/map", json=sample_map())  # another tab saves first
    fields = replace(fields, "c0.label", "Mine")
    response = post(client, link.page, fields, "save")
    assert response.status_code == 409
    assert "changed elsewhere" in response.text and 'value="Mine"' in response.text
    assert stored(db).map["contacts"][0]["label"] == "M.R."
    # Saving again from that page now deliberately replaces the other version.
    again = post(client, link.page, form_fields(response.text), "save")
    assert again.status_code == 303
    assert stored(db).map["contacts"][0]["label"] == "Mine"


def test_double_submit_is_one_submission(client, link, db):
    client.put(link.api + "/map", json=sample_map())
    fields = form_fields(client.get(link.page).text)
    first = post(client, link.page, fields, "submit")
    second = post(client, link.page, fields, "submit")
    assert first.status_code == second.status_code == 303
    assert second.headers["location"].endswith("/report?submitted=1")
    submission = stored(db)
    assert submission.status == "submitted" and submission.version == 2
    report = client.get(link.page + "/report?submitted=1")
    assert report.status_code == 200 and "your map is submitted" in report.text


def test_add_more_rows_without_javascript(client, link):
    fields = form_fields(client.get(link.page).text)
    fields = replace(fields, "c0.label", "Kept")
    response = post(client, link.page, fields, "add_rows")
    assert response.status_code == 200
    assert 'value="Kept"' in response.text and 'name="c7.label"' in response.text


def test_remove_a_contact_without_javascript(client, link, db):
    client.put(link.api + "/map", json=sample_map())
    fields = [*form_fields(client.get(link.page).text), ("c1.remove", "1")]
    assert post(client, link.page, fields, "save").status_code == 303
    assert [c["id"] for c in stored(db).map["contacts"]] == ["a", "c"]


def test_import_contacts_csv_fills_the_form_without_saving(client, link, db):
    fields = form_fields(client.get(link.page).text)
    csv = "label,purpose,roles,closeness\nAnna,growth,mentor;peer,4\nBen,company,,2\n"
    response = client.post(
        link.page, data=_dict([*fields, ("action", "import")]),
        files={"upload": ("contacts.csv", csv.encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert "2 people imported" in response.text
    assert 'value="Anna"' in response.text and 'value="Ben"' in response.text
    assert stored(db) is None
    # Saving the reviewed form stores them.
    assert post(client, link.page, form_fields(response.text), "save").status_code == 303
    assert [c["label"] for c in stored(db).map["contacts"]] == ["Anna", "Ben"]


def test_import_linkedin_connections(client, link):
    csv = (
        "Notes:\n\"When exporting your connection data...\"\n\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Maria,Rossi,https://x,,Acme,CFO,12 Mar 2024\n"
        "Luca,Bianchi,https://y,,Other,CTO,01 Jan 2020\n"
    )
    response = client.post(link.page, data={"action": "import", "rows": "0"},
                           files={"upload": ("Connections.csv", csv.encode(), "text/csv")})
    assert response.status_code == 200
    assert 'value="M.R."' in response.text and 'value="L.B."' in response.text
    assert 'value="2024-03"' in response.text
    assert "Rossi" not in response.text


def test_import_errors_are_listed_together(client, link):
    csv = "label,closeness,colour\nAnna,9,red\n"
    response = client.post(link.page, data={"action": "import", "rows": "0"},
                           files={"upload": ("contacts.csv", csv.encode(), "text/csv")})
    assert response.status_code == 422
    assert 'id="import-errors"' in response.text and "colour" in response.text


def test_delete_needs_confirmation(client, link, db):
    client.post(link.api + "/submit", json=sample_map())
    assert "cannot be undone" in client.get(link.page + "/delete").text
    refused = client.post(link.page + "/delete", data={})
    assert refused.status_code == 422 and stored(db) is not None
    done = client.post(link.page + "/delete", data={"confirm": "yes"})
    assert done.status_code == 200 and "erased" in done.text
    assert stored(db) is None


def test_closed_session_without_submission(client, link, db):
    from datetime import UTC, datetime, timedelta

    link.session.deadline = datetime.now(UTC) - timedelta(days=1)
    db.flush()
    page = client.get(link.page)
    assert page.status_code == 200 and "This session is closed" in page.text
    fields = [("rows", "1"), ("c0.id", "a"), ("c0.label", "Late")]
    assert post(client, link.page, fields, "save").status_code == 403


def test_carry_forward_from_last_submitted_map(client, db, settings, make_cohort, make_session):
    cohort = make_cohort(participants=1)
    first_session = make_session(cohort)
    participant = cohort.participants[0]
    program = cohort.program_definition()
    first_map = sample_map()
    first_map["commitments"] = [{"text": "Lunch with M.R.", "contact": "a"}, {"text": "Read more"}]
    service.save_map(db, cohort_session=first_session, participant=participant,
                     program=program, data=first_map, submit=True)
    second_session = make_session(cohort)
    db.flush()
    second = link_for(settings, second_session, participant)

    body = client.get(second.api).json()
    assert body["carried_forward"] is True and body["version"] == 0
    assert [c["label"] for c in body["map"]["contacts"]] == ["M.R.", "Gio", "Zia"]
    assert body["map"]["commitments"] == []
    previous = [item["text"] for item in body["previous_commitments"]]
    assert previous == ["Lunch with M.R.", "Read more"]

    html = client.get(second.page).text
    assert "last session" in html.lower() and "Last time: 2025-09" in html
    assert 'name="review0"' in html and 'name="review1"' in html
    fields = replace(form_fields(html), "review0", "kept")
    fields = replace(fields, "review1", "not_kept")
    assert post(client, second.page, fields, "save").status_code == 303
    saved = db.scalar(select(Submission).where(Submission.session_id == second_session.id))
    assert saved.commitment_review == [
        {"text": "Lunch with M.R.", "contact": "a", "kept": True},
        {"text": "Read more", "contact": None, "kept": False},
    ]
    assert len(saved.map["contacts"]) == 3
    # The API takes the same ticks as a list.
    ticks = {**saved.map, "commitment_review": [None, True]}
    response = client.put(second.api + "/map", json=ticks)
    assert response.status_code == 200
    assert client.get(second.api).json()["previous_commitments"][1]["kept"] is True


def test_italian_pages(client, make_link):
    link = make_link(language="it")
    response = client.get(link.page)
    html = response.text
    assert '<html lang="it">' in html
    assert "La mia mappa relazionale" in html and "Salva bozza" in html
    assert "Per la mia crescita" in html and "Soprannome o iniziali" in html
    english = client.get(link.page + "?lang=en")
    assert "My network map" in english.text
    assert "wellspring_lang=en" in english.headers["set-cookie"]
    assert "My network map" in client.get(link.page).text  # the cookie remembers


def test_italian_errors(client, make_link):
    link = make_link(language="it")
    fields = replace(form_fields(client.get(link.page).text), "c0.label", "M.R.")
    html = post(client, link.page, fields, "submit").text
    assert "necessario prima dell&#39;invio" in html or "necessario prima dell'invio" in html


def test_concurrent_first_saves_make_one_submission(client, link, db, monkeypatch):
    """The loser of a race on the first insert re-reads the winner's row instead of failing."""
    program = link.cohort.program_definition()
    service.save_map(db, cohort_session=link.session, participant=link.participant,
                     program=program, data=sample_map())
    real = repository.get_submission
    calls = {"n": 0}

    def first_call_misses(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(repository, "get_submission", first_call_misses)
    other = {"contacts": [{"id": "z", "label": "Z"}]}
    try:
        service.save_map(db, cohort_session=link.session, participant=link.participant,
                         program=program, data=other, expected_version=0)
    except service.VersionConflict as conflict:
        assert conflict.current_version == 1
    else:
        raise AssertionError("expected a conflict")
    same = service.save_map(db, cohort_session=link.session, participant=link.participant,
                            program=program, data=sample_map(), expected_version=0)
    assert same.version == 1
    assert len(db.scalars(select(Submission)).all()) == 1
    json.dumps(same.map)


def test_report_page_shows_the_report(client, link):
    client.post(link.api + "/submit", json=sample_map())
    html = client.get(link.page + "/report").text
    assert "My report" in html and "/report.pdf" in html and "M.R." in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_report_page_falls_back_to_the_analysis(client, link, monkeypatch):
    from app.reports import service as reports

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("renderer down")

    monkeypatch.setattr(reports, "individual_report_html", broken)
    client.post(link.api + "/submit", json=sample_map())
    html = client.get(link.page + "/report").text
    assert "Where to invest next" in html and "People to reconnect with" in html


def test_report_page_waits_for_a_submission(client, link):
    response = client.get(link.page + "/report", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == link.page


def _summary(html: str) -> list[tuple[str, str]]:
    """(link target, text) of each line of the error summary at the top of the form."""
    block = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert block is not None, "no error summary"
    return [(href, _unescape(text)) for href, text in
            re.findall(r'<a href="#([^"]+)">([^<]*)</a>', block.group(0))]


def test_error_summary_names_the_person_and_the_field(client, link, db):
    fields = form_fields(client.get(link.page).text)
    fields = replace(fields, "c0.label", "A.B.")
    fields = replace(fields, "c1.label", "C.D.")
    fields = replace(fields, "c1.purpose", "growth")
    fields = replace(fields, "c2.function", "a card without a name")
    lines = dict(_summary(post(client, link.page, fields, "submit").text))
    assert lines["c1-origin"] == "Person 2 (C.D.): Where you met: needed before you submit"
    assert lines["c0-purpose"].startswith("Person 1 (A.B.): ")
    assert lines["c2-label"].startswith("Person 3: ") and "fill this in" in lines["c2-label"]
    # Every line links to a field that exists on the page.
    html = post(client, link.page, fields, "submit").text
    for target in lines:
        assert f'id="{target}"' in html
    assert stored(db) is None


def test_error_summary_in_italian(client, make_link):
    link = make_link(language="it")
    fields = replace(form_fields(client.get(link.page).text), "c0.label", "M.R.")
    lines = _summary(post(client, link.page, fields, "submit").text)
    assert lines and all(text.startswith("Persona 1 (M.R.): ") for _, text in lines)


def test_a_card_without_a_nickname_is_kept_in_the_draft(client, link, db):
    fields = form_fields(client.get(link.page).text)
    fields = replace(fields, "c0.function", "Finance")
    fields = replace(fields, "c0.purpose", "company")
    assert post(client, link.page, fields, "save").status_code == 303
    saved = stored(db)
    assert saved is not None and saved.status == "draft"
    [contact] = saved.map["contacts"]
    assert contact["label"] == "" and contact["function"] == "Finance"
    html = client.get(link.page).text
    assert 'value="Finance"' in html
    # Submitting asks for the nickname, by person and field.
    refused = post(client, link.page, form_fields(html), "submit")
    assert refused.status_code == 422
    assert any(target == "c0-label" for target, _ in _summary(refused.text))


def test_the_month_picker_is_bounded_by_the_session(client, link):
    html = client.get(link.page).text
    pickers = re.findall(r'<input type="month"[^>]*>', html)
    assert pickers and all('min="1950-01"' in tag for tag in pickers)
    latest = {re.search(r'max="(\d{4}-\d{2})"', tag).group(1) for tag in pickers}
    assert len(latest) == 1
    fields = form_fields(html)
    fields = replace(fields, "c0.label", "M.R.")
    fields = replace(fields, "c0.last_contact", "2099-01")
    response = post(client, link.page, fields, "save")
    assert response.status_code == 422
    assert f"choose a month from 1950 up to {latest.pop()}" in response.text


def test_delete_page_says_it_erases_every_session(client, link, db):
    client.post(link.api + "/submit", json=sample_map())
    html = client.get(link.page + "/delete").text
    assert "every session of this course" in html or "map of session 1" in html
    assert "Yes, erase all my maps of this course" in html
