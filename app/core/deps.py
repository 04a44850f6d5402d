"""Shared FastAPI dependencies, as `Annotated` aliases.

The database session commits at the dependency boundary: a handler that returns
normally has its work committed; one that raises is rolled back. Requests with an
unsafe method get a write session (BEGIN IMMEDIATE on SQLite); GET and HEAD get a
read session. A GET handler that must write uses `WriteSessionDep`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# `async def`: FastAPI would run a plain function in the thread pool, a hand-off per
# dependency per request, for an attribute lookup.
async def get_db(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DatabaseDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_session(request: Request, database: DatabaseDep) -> Iterator[Session]:
    with database.session(write=request.method not in SAFE_METHODS) as session:
        yield session


def get_read_session(database: DatabaseDep) -> Iterator[Session]:
    with database.session(write=False) as session:
        yield session


def get_write_session(database: DatabaseDep) -> Iterator[Session]:
    with database.session(write=True) as session:
        yield session


# scope="function": commit before the response is sent, so a client is never told
# "saved" for a transaction that then fails, and its next request sees its own write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
# Reads only, whatever the method: a handler that writes opens its own short write unit
# (`with database.session():`) after the reading and checking are done.
ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]
