"""Login and the caller's own identity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from interfaces.http.deps import AppDep, PrincipalDep, RuntimeDep
from interfaces.http.logins import PasswordChecksDep
from interfaces.http.schemas.users import MeResponse, TokenResponse

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post("/auth/token", response_model=TokenResponse)
async def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    runtime: RuntimeDep,
    checks: PasswordChecksDep,
) -> TokenResponse:
    """OAuth2 password flow. Failures are throttled per username and address together, per
    username and per address (429 with Retry-After); when every password check slot is busy
    the answer is 503 with Retry-After, at once."""
    client = request.client.host if request.client else "unknown"
    principal = await checks.authenticate(
        runtime.app, form.username, form.password, client, "/v1/auth/token"
    )
    token = runtime.tokens.issue(principal.user_id, principal.session)
    return TokenResponse(access_token=token, expires_in=runtime.tokens.ttl_seconds)


@router.post("/auth/logout", status_code=204)
def logout(principal: PrincipalDep, app: AppDep) -> Response:
    """Ends every token and web session of the caller, on every device: the token sent
    here, and any other, is refused from now on (401). Log in again for a new one."""
    app.sign_out(principal)
    return Response(status_code=204)


@router.get("/me", response_model=MeResponse)
def me(principal: PrincipalDep, app: AppDep) -> MeResponse:
    return MeResponse(
        id=str(principal.user_id),
        username=principal.username,
        role=principal.role.value,
        regions=[code.value for code in principal.regions],
    )
