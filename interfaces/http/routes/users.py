"""User administration."""

from __future__ import annotations

from fastapi import APIRouter, Response

from application.users import CreateUser
from domain.events import Role
from interfaces.http.deps import AppDep, PrincipalDep, WriteOptionsDep
from interfaces.http.respond import created
from interfaces.http.schemas.users import CreateUserBody, UserResponse

router = APIRouter(prefix="/v1", tags=["users"])


@router.post("/users", status_code=201, response_model=UserResponse)
def create_user(
    body: CreateUserBody,
    principal: PrincipalDep,
    app: AppDep,
    options: WriteOptionsDep,
    response: Response,
) -> UserResponse:
    """Admins create users with a role and a scope of Kemendagri codes (villages for
    officers, region prefixes for coordinators, none for auditors and admins)."""
    command = CreateUser(
        username=body.username,
        password=body.password,
        role=Role(body.role),
        regions=tuple(body.regions),
    )
    result = app.create_user(principal, command, options)
    return UserResponse.model_validate(created(response, result))
