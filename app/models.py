"""Import every model so that Base.metadata is complete (Alembic, tests)."""

from app.cohorts.models import Cohort, Participant, cohort_facilitators
from app.core.db import Base
from app.facilitators.models import Facilitator, SignInSession
from app.participation.models import Submission, SubmissionContact, SubmissionTie
from app.reports.models import CachedReport
from app.sessions.models import CohortSession, Invitation

__all__ = [
    "Base",
    "CachedReport",
    "Cohort",
    "CohortSession",
    "Facilitator",
    "Invitation",
    "Participant",
    "SignInSession",
    "Submission",
    "SubmissionContact",
    "SubmissionTie",
    "cohort_facilitators",
]
