"""The participant's own report (screen and PDF) follows the participant's language."""

from __future__ import annotations

from typing import Any

from tests.participation.participation_support import sample_map
from tests.reports.report_support import pdf_text


def test_report_page_and_pdf_follow_the_participant_language(client: Any, link: Any) -> None:
    client.post(link.api + "/submit", json=sample_map())
    english = client.get(link.page + "/report?lang=en").text
    assert "How to read this page" in english and "Come leggere questa pagina" not in english

    italian = client.get(link.page + "/report?lang=it").text  # the choice sticks (cookie)
    assert "Come leggere questa pagina" in italian and "How to read this page" not in italian
    pdf = client.get(link.api + "/report.pdf")
    assert pdf.status_code == 200
    assert "Come leggere questa pagina" in pdf_text(pdf.content)

    back = client.get(link.api + "/report.pdf?lang=en")
    assert "How to read this page" in pdf_text(back.content)
    assert back.headers["etag"] != pdf.headers["etag"]
