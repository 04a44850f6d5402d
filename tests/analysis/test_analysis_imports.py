from __future__ import annotations

import re

import pytest

from app.analysis import MapImportError, Program, import_contacts_csv, import_linkedin_csv
from app.analysis.imports import initials

CONTACTS_CSV = (
    "id,label,purpose,roles,origin,organization,function,industry,qualities,closeness,"
    "last_contact,i_helped,they_helped,introduced\n"
    "a,M.R.,growth,mentor; way_shower,former_job,outside,Finance,Health,"
    "energizes;challenges,4,2025-09,yes,no,1\n"
    ",J.K.,company,client,current_job,inside,Sales,Retail,,2,2024-01,FALSE,true,0\n"
    "b,L.B.,,,,,,,,,,,,\n"
)

LINKEDIN_CSV = """\
Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Maria,Rossi,https://www.linkedin.com/in/mr,maria@example.com,Banca Ligure,Risk Manager,12 Mar 2024
Zoë,Müller,https://www.linkedin.com/in/zm,,  banca ligure ,Analyst,03 Jan 2019
Nicolò,D'Amico,https://www.linkedin.com/in/nd,,Alpenrad GmbH,CEO,28 Feb 2025
,,https://www.linkedin.com/in/private,,,,01 Jun 2023
"""


def test_contacts_csv_import(program: Program) -> None:
    m = import_contacts_csv(CONTACTS_CSV, program)
    assert [c.id for c in m.contacts] == ["a", "c1", "b"]
    first = m.contacts[0]
    assert first.roles == ["mentor", "way_shower"]
    assert first.qualities == ["energizes", "challenges"]
    assert (first.closeness, first.last_contact) == (4, "2025-09")
    assert (first.i_helped, first.they_helped, first.introduced) == (True, False, True)
    second = m.contacts[1]
    assert (second.i_helped, second.they_helped, second.qualities) == (False, True, [])
    blank = m.contacts[2]  # a draft row: only id and label
    assert blank.purpose is None and blank.closeness is None and blank.roles == []


def test_contacts_csv_errors_are_reported_together(program: Program) -> None:
    text = (
        "label,purpose,closeness,i_helped,roles,last_contact\n"
        "A,growth,3,yes,mentor,2025-01\n"
        "B,growth,9,yes,mentor,2025-01\n"
        "C,fun,x,maybe,guru,2025-1\n"
        ",growth,2,no,,\n"
    )
    with pytest.raises(MapImportError) as caught:
        import_contacts_csv(text, program)
    errors = caught.value.errors
    assert errors == [
        "row 3, closeness: must be between 1 and 5",
        "row 4, closeness: must be a whole number between 1 and 5",
        "row 4, i_helped: 'maybe' is not yes/no, true/false or 1/0",
        "row 4, last_contact: must be a month written YYYY-MM, e.g. 2025-09",
        "row 4, purpose: 'fun' is not one of company, growth, both",
        "row 4, roles: 'guru' is not one of mentor, sponsor, way_shower, community, peer, "
        "client, industry, friend",
        "row 5, label: required",
    ]
    assert str(caught.value) == "; ".join(errors)


def test_contacts_csv_header_problems(program: Program) -> None:
    with pytest.raises(MapImportError, match="row 1, email: unknown column"):
        import_contacts_csv("label,email\nA,a@example.com\n", program)
    with pytest.raises(MapImportError, match="a label column is required"):
        import_contacts_csv("id,purpose\na,growth\n", program)
    with pytest.raises(MapImportError, match="row 1: the file is empty"):
        import_contacts_csv("", program)
    with pytest.raises(MapImportError, match="row 1, label: column appears twice"):
        import_contacts_csv("label,Label\nA,B\n", program)


def test_contacts_csv_duplicate_ids_and_extra_cells(program: Program) -> None:
    with pytest.raises(MapImportError) as caught:
        import_contacts_csv("id,label\na,A\na,B\nb,C,extra\n", program)
    assert caught.value.errors == [
        "row 3, id: duplicate id 'a' (also row 2)",
        "row 4: 3 cells but 2 columns",
    ]


def test_contacts_csv_too_many_rows(program: Program) -> None:
    rows = "".join(f"C{i}\n" for i in range(251))
    with pytest.raises(MapImportError, match="251 contacts, but a map holds at most 250"):
        import_contacts_csv("label\n" + rows, program)


def test_contacts_csv_skips_blank_rows_and_bom(program: Program) -> None:
    m = import_contacts_csv("\ufefflabel,closeness\nA,2\n,\n\nB,\n", program)
    assert [(c.label, c.closeness) for c in m.contacts] == [("A", 2), ("B", None)]


def test_linkedin_import(program: Program) -> None:
    m = import_linkedin_csv(LINKEDIN_CSV, " Banca LIGURE", program)
    assert [c.id for c in m.contacts] == ["li1", "li2", "li3", "li4"]
    assert [c.label for c in m.contacts] == ["M.R.", "Z.M.", "N.D.", "?"]
    assert [c.organization for c in m.contacts] == ["inside", "inside", "outside", None]
    assert [c.last_contact for c in m.contacts] == ["2024-03", "2019-01", "2025-02", "2023-06"]
    first = m.contacts[0]
    assert first.purpose is None and first.function is None and first.closeness is None
    # nothing identifying survives the import
    dumped = str(m.to_json())
    for secret in ("Maria", "Rossi", "example.com", "linkedin", "Risk Manager", "Banca"):
        assert secret not in dumped


def test_linkedin_without_own_organization(program: Program) -> None:
    m = import_linkedin_csv(LINKEDIN_CSV, None, program)
    assert {c.organization for c in m.contacts} == {None}


def test_linkedin_errors(program: Program) -> None:
    bad_dates = LINKEDIN_CSV.replace("12 Mar 2024", "yesterday").replace("28 Feb 2025", "2025/02")
    with pytest.raises(MapImportError) as caught:
        import_linkedin_csv(bad_dates, "x", program)
    assert caught.value.errors == [
        "row 5, Connected On: 'yesterday' is not a date like '12 Mar 2024'",
        "row 7, Connected On: '2025/02' is not a date like '12 Mar 2024'",
    ]
    with pytest.raises(MapImportError, match=re.escape("no 'First Name,Last Name,...' header")):
        import_linkedin_csv("Name,Company\nA,B\n", "x", program)
    with pytest.raises(MapImportError, match="Connected On: column missing"):
        import_linkedin_csv("First Name,Last Name,Company\nA,B,C\n", "x", program)
    many = "First Name,Last Name,Connected On\n" + "A,B,01 Jan 2024\n" * 300
    assert len(import_linkedin_csv(many, "x", program).contacts) == 250  # newest kept, no error


def test_linkedin_iso_dates_and_empty_export(program: Program) -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nA,B,,,,,2024-11-02\n"
    )
    assert import_linkedin_csv(text, None, program).contacts[0].last_contact == "2024-11"
    header_only = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    assert import_linkedin_csv(header_only, None, program).contacts == []


def test_initials() -> None:
    assert initials("Maria", "Rossi") == "M.R."
    assert initials("élodie", "de Vries") == "É.D."
    assert initials("", "Smith") == "S."
    assert initials("(Dr) Ann", "") == "D."
    assert initials("", "") == "?"


def test_linkedin_keeps_the_most_recent_connections(program: Program) -> None:
    header = "Notes:\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    rows = [f"Name{i},Last{i},,,Acme,,01 Jan {2000 + i}\n" for i in range(300)]
    m = import_linkedin_csv(header + "".join(rows), "Acme", program)
    assert len(m.contacts) == program.exercise.limits.max_contacts
    assert min(c.last_contact or "" for c in m.contacts) == f"{2300 - len(m.contacts)}-01"
    few = import_linkedin_csv(header + "".join(rows), "Acme", program, keep=3)
    assert [c.last_contact for c in few.contacts] == ["2297-01", "2298-01", "2299-01"]
