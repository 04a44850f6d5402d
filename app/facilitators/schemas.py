"""API shapes for sign-in."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class TokenOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"access_token": "q3Zr…", "token_type": "bearer", "expires_in": 43200}
            ]
        }
    )

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int


class FacilitatorOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": 1, "email": "anna@example.org", "name": "Anna Bianchi"}]
        }
    )

    id: int
    email: str
    name: str
