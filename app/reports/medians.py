"""The cohort beside the participant: the session's medians for the individual report.

DESIGN.md's privacy rules apply: medians only, from at least 3 submitted maps
(app.analysis.cohort decides), never a minimum or maximum.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from sqlalchemy.orm import Session

from app.analysis import NetworkMap
from app.analysis.cohort import cohort_medians
from app.participation import repository as submissions
from app.reports import repository as cache
from app.sessions.models import CohortSession

MEDIANS_MEMO_SIZE = 32
_medians_memo: OrderedDict[str, dict[str, float]] = OrderedDict()


def session_medians(db: Session, cohort_session: CohortSession) -> dict[str, float]:
    """Medians of the key measures over the session's submitted maps (none under 3 maps).

    They go into every individual report's inputs, hence its cache key: when the
    cohort's maps change, so does each report that shows the cohort beside it.
    Measuring 30 maps of 150 contacts takes ~0.2 s, so the result is kept per
    process under a hash of everything it depends on (the maps themselves, the
    program and the as-of date): a cached report stays a cheap lookup.
    """
    raw = [submission.map
           for submission, _ in submissions.submitted_with_participants(db, cohort_session.id)]
    as_of = cohort_session.as_of()
    key = hashlib.sha256(
        cache.canonical_json([cohort_session.cohort.program, as_of.isoformat(), raw])
    ).hexdigest()
    found = _medians_memo.get(key)
    if found is None:
        program = cohort_session.cohort.program_definition()
        found = cohort_medians([NetworkMap.model_validate(m) for m in raw], program, as_of)
        _medians_memo[key] = found
        while len(_medians_memo) > MEDIANS_MEMO_SIZE:
            _medians_memo.popitem(last=False)
    else:
        _medians_memo.move_to_end(key)
    return dict(found)
