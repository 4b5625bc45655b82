"""Login and the caller's own identity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from interfaces.http.deps import AppDep, PrincipalDep, RuntimeDep
from interfaces.http.schemas.users import MeResponse, TokenResponse

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post("/auth/token", response_model=TokenResponse)
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    runtime: RuntimeDep,
) -> TokenResponse:
    """OAuth2 password flow. Repeated failures for a username or an address are throttled
    (429 with Retry-After)."""
    client = request.client.host if request.client else "unknown"
    principal = runtime.app.authenticate(form.username, form.password, client)
    token = runtime.tokens.issue(principal.user_id)
    return TokenResponse(access_token=token, expires_in=runtime.tokens.ttl_seconds)


@router.get("/me", response_model=MeResponse)
def me(principal: PrincipalDep, app: AppDep) -> MeResponse:
    return MeResponse(
        id=str(principal.user_id),
        username=principal.username,
        role=principal.role.value,
        regions=[code.value for code in principal.regions],
    )
