"""Errors on web pages are pages, in the person's language, never the API's JSON.

Web routers use ``WebRoute``: it turns a missing session into a trip to the login form, a
refused CSRF token into a 403 page, "not found or outside your area" into a 404 page, and any
other refusal into a page with the translated message. Forms catch the errors they can show
next to a field themselves (``interfaces.web.forms``); what reaches this is the rest."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.errors import Forbidden, NotFound
from domain.errors import DomainError
from interfaces.http.errors import ApiError, status_for
from interfaces.web import text
from interfaces.web.render import render
from interfaces.web.session import CsrfRefused, LoginRequired, language_of

logger = logging.getLogger("jejak.web")


def error_page(request: Request, status: int, message: str) -> Response:
    return render(
        request, "error.html", None, {"status": status, "message": message}, status=status
    )


def redirect(request: Request, url: str) -> Response:
    """A 303 to ``url``; htmx requests are told to navigate there instead (HX-Redirect)."""
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            lang = language_of(request)
            try:
                return await handler(request)
            except LoginRequired as needed:
                return redirect(request, needed.next_path)
            except ApiError as refused:  # a malformed cursor in a page link, say
                message = text.message_text(refused.code, refused.message, refused.params, lang)
                return error_page(request, refused.status, message)
            except CsrfRefused:
                return error_page(request, 403, text.t("error.csrf", lang))
            except RequestValidationError:
                # A malformed id in the path: to a person, that record does not exist.
                return error_page(request, 404, text.t("error.not_found", lang))
            except NotFound as missing:
                message = text.t("error.not_found", lang)
                if type(missing) is not NotFound:  # "not recorded yet then", "no version 9"
                    message = text.message_text(missing.code, missing.message, missing.params, lang)
                return error_page(request, 404, message)
            except Forbidden:
                return error_page(request, 403, text.t("error.forbidden", lang))
            except DomainError as error:
                message = text.message_text(error.code, error.message, error.params, lang)
                return error_page(request, status_for(error), message)
            except (OperationalError, InterfaceError):
                return error_page(request, 503, text.t("error.store", lang))
            except StarletteHTTPException as refused:
                # Starlette's own refusals while reading a form (too many fields, a multipart
                # body without a boundary): the request was bad, not the server.
                return error_page(request, refused.status_code, text.t("error.title", lang))
            except Exception as error:
                request_id = getattr(request.state, "request_id", "-")
                # The type and frames only: exception text can carry personal data.
                logger.error(
                    "unexpected error",
                    extra={
                        "error_type": type(error).__name__,
                        "request_id": request_id,
                        "frames": [
                            f"{f.filename}:{f.lineno}:{f.name}"
                            for f in traceback.extract_tb(error.__traceback__)
                        ],
                    },
                )
                return error_page(request, 500, text.t("error.title", lang) + f" ({request_id})")

        return handle
