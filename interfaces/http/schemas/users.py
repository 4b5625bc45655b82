"""User and auth bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from interfaces.http.schemas.common import Body, Code, WriteResponse, example


class CreateUserBody(Body):
    model_config = ConfigDict(
        json_schema_extra=example(
            username="petugas.sukorejo",
            password="a long passphrase",
            role="officer",
            regions=["35.07.12.2001"],
        )
    )

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    role: Literal["officer", "coordinator", "auditor", "admin"]
    regions: list[Code] = Field(default_factory=list, max_length=500)


class UserResponse(WriteResponse):
    username: str
    role: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeResponse(BaseModel):
    id: str
    username: str
    role: str
    regions: list[str]
