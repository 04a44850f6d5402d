"""The participant's export as a readable page: every session's map in words, escaped."""

from __future__ import annotations

from typing import Any

from app.participation import service
from tests.participation.participation_support import contact, sample_map


def hostile_map() -> dict[str, Any]:
    data = sample_map()
    data["contacts"][0] = contact("a", "<script>alert(1)</script>", function="R&D <i>")
    data["commitments"] = [{"text": "Lunch <b>now</b>", "contact": "a"}]
    return data


def test_export_page_shows_every_map_in_words(client: Any, link: Any, db: Any) -> None:
    service.save_map(db, cohort_session=link.session, participant=link.participant,
                     program=link.cohort.program_definition(), data=hostile_map(), submit=True)
    db.flush()
    response = client.get(link.page + "/export")
    assert response.status_code == 200
    html = response.text
    # Participant text is escaped, never markup.
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Lunch &lt;b&gt;now&lt;/b&gt;" in html and "R&amp;D &lt;i&gt;" in html
    # Labels from the program, not ids; who knows whom by nickname; the session and status.
    assert "For my growth" in html and "former_job" not in html
    assert "Knows" in html and "Gio" in html
    assert f"Session {link.session.number}" in html and "Submitted" in html
    assert "3 people" in html
    # The JSON download sits alongside, and the form links here.
    assert f'href="{link.api}/export"' in html
    assert f'href="{link.page}/export"' in client.get(link.page).text


def test_export_page_in_italian_and_empty(client: Any, make_link: Any) -> None:
    italian = make_link(language="it")
    html = client.get(italian.page + "/export").text
    assert "I miei dati" in html and "Non hai ancora salvato una mappa" in html


def test_export_page_of_an_unknown_link_is_404(client: Any) -> None:
    assert client.get("/p/not-a-real-token/export").status_code == 404
