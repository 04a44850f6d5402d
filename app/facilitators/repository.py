"""Queries on facilitator accounts and their sign-in sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.facilitators.models import Facilitator, SignInSession


def get_by_email(db: Session, email: str) -> Facilitator | None:
    return db.scalar(select(Facilitator).where(func.lower(Facilitator.email) == email.lower()))


def get_sign_in(db: Session, session_id: str) -> SignInSession | None:
    return db.get(SignInSession, session_id)


def get_facilitator(db: Session, facilitator_id: int) -> Facilitator | None:
    return db.get(Facilitator, facilitator_id)


def delete_sign_in(db: Session, session_id: str) -> None:
    db.execute(delete(SignInSession).where(SignInSession.id == session_id))


def delete_expired_sign_ins(db: Session, now: datetime) -> None:
    db.execute(delete(SignInSession).where(SignInSession.expires_at < now))
