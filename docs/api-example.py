"""Script the Wellspring API with httpx: sign in, create a cohort from a roster,
open a session, list the personal links and download the printable pack.

    WELLSPRING_URL=http://127.0.0.1:8000 WELLSPRING_EMAIL=you@example.org \
    WELLSPRING_PASSWORD=... python docs/api-example.py
"""

import os
import sys
from pathlib import Path

import httpx

base_url = os.environ.get("WELLSPRING_URL", "http://127.0.0.1:8000")
roster = Path(__file__).resolve().parent.parent / "cohorts" / "example" / "roster.csv"

with httpx.Client(base_url=base_url, timeout=120) as api:
    # 1. Sign in: the OAuth2 password flow returns a bearer token.
    token = api.post("/api/v1/auth/token", data={
        "username": os.environ.get("WELLSPRING_EMAIL", "demo@wellspring.example"),
        "password": os.environ.get("WELLSPRING_PASSWORD", "wellspring-demo"),
    }).raise_for_status().json()["access_token"]
    api.headers["Authorization"] = f"Bearer {token}"

    # 2. A cohort from a program file, then its roster from a CSV file.
    cohort = api.post("/api/v1/cohorts", json={
        "name": "Autumn cohort", "program_id": "leadership-8-month", "language": "en",
    }).raise_for_status().json()
    with roster.open("rb") as csv_file:
        api.post(f"/api/v1/cohorts/{cohort['id']}/participants/import",
                 files={"file": ("roster.csv", csv_file, "text/csv")}).raise_for_status()

    # 3. Open the next session (deadline: a week from today unless given).
    session = api.post(f"/api/v1/cohorts/{cohort['id']}/sessions", json={}
                       ).raise_for_status().json()
    print(f"Session {session['number']}: {session['title']}")

    # 4. Everyone's personal link (also as CSV at .../links.csv, or emailed: .../send-links).
    for link in api.get(f"/api/v1/sessions/{session['id']}/links").raise_for_status().json():
        print(f"{link['name']:<24} {link['status']:<11} {link['link']}")

    # 5. Later: the printable pack (group report + every submitted participant's report).
    pack = api.get(f"/api/v1/sessions/{session['id']}/reports/pack.pdf").raise_for_status()
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "session-pack.pdf")
    out.write_bytes(pack.content)
    print(f"Pack saved to {out} ({len(pack.content)} bytes)")
