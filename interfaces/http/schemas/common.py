"""Types shared by request bodies: text that can be stored, ids, dates."""

from __future__ import annotations

import re
from datetime import date, datetime
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from domain.journey.values import MAX_NOTE
from domain.text import MAX_TEXT


def _storable(value: str) -> str:
    """Text must be valid Unicode without NUL: a lone surrogate cannot be encoded as UTF-8."""
    if "\x00" in value:
        msg = "must not contain NUL characters"
        raise ValueError(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        msg = "must be valid Unicode text"
        raise ValueError(msg) from None
    return value


ShortText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(_storable)
]
Note = Annotated[str, StringConstraints(max_length=MAX_NOTE), AfterValidator(_storable)]
Code = Annotated[str, StringConstraints(min_length=2, max_length=13, pattern=r"^[0-9.]+$")]


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
#: A positive offset whose ``+`` a query string turned into a space (``?as_of=...T08:00+07:00``
#: typed into a browser or curl without encoding it).
_UNENCODED_PLUS = re.compile(
    r"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$"
)


def _iso_datetime_text(value: Any) -> Any:
    """A time is written as ISO 8601 text (``0.5`` or ``1700000000`` are not times, though
    pydantic would read them as seconds since 1970)."""
    if isinstance(value, str) and not ISO_DATETIME.match(value):
        raise PydanticCustomError(
            "datetime_type", "Input should be an ISO 8601 time, like 2026-01-31T08:00:00+07:00"
        )
    if isinstance(value, str):
        return _UNENCODED_PLUS.sub(r"\1+\2", value)
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime_text)]


def _iso_date_text(value: Any) -> Any:
    """A date is written YYYY-MM-DD (``0`` is not 1970-01-01, though pydantic reads it so)."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_type", "Input should be a date, like 2026-01-31")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]

#: The largest event position or log id a client may name: both stores keep them in signed
#: 64-bit integers, and a bigger number would overflow in the driver rather than match nothing.
MAX_POSITION = 2**63 - 1


def _scalar_types(annotation: Any) -> set[Any]:
    """The plain types a field annotation admits (through Optional, unions, Annotated)."""
    args = get_args(annotation)
    if get_origin(annotation) in (Union, UnionType) or (
        args and hasattr(annotation, "__metadata__")
    ):
        return set().union(*(_scalar_types(arg) for arg in args))
    return {annotation} if isinstance(annotation, type) else set()


class Body(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error rather than lost data, and
    take JSON types as they are: pydantic would quietly read ``0`` or ``"0"`` as the date
    1970-01-01 and ``true``, ``1.0`` or ``"12"`` as counts."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_coercion(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or info.field_name is None:
            return value
        kinds = _scalar_types(cls.model_fields[info.field_name].annotation)
        if date in kinds and not isinstance(value, date):
            if not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
                raise PydanticCustomError("date_type", "Input should be a date, YYYY-MM-DD")
        elif int in kinds and (isinstance(value, bool) or not isinstance(value, int)):
            raise PydanticCustomError("int_type", "Input should be a whole number")
        return value


class WriteResponse(BaseModel):
    """Every write answers with the aggregate's id, its new version and the position of the
    last event it recorded in the global feed (pass it as ``min_position`` to reports)."""

    id: str = Field(examples=["3f8a1c2e-5b7d-4e9f-a1b2-c3d4e5f60718"])
    version: int = Field(examples=[1])
    position: int = Field(examples=[42])


def example(**values: Any) -> dict[str, Any]:
    return {"examples": [values]}


class ErrorContent(BaseModel):
    code: str = Field(description="Stable and machine-readable", examples=["not_found"])
    message: str = Field(
        description="For people: in English, or in Indonesian with Accept-Language: id"
    )
    details: dict[str, Any] = Field(
        description="What the message is about; for 422, `fields` lists each invalid field "
        "as {field, code, message}"
    )


class ErrorBody(BaseModel):
    """The one shape of every error answer."""

    error: ErrorContent


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


#: The errors any API path may answer, all in the one error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Malformed JSON, or an unusable If-Match or Idempotency-Key header"),
    401: _error("No token, or an expired or invalid one (or, at login, wrong credentials)"),
    403: _error("The caller's role may never do this, or the region is outside their scope"),
    404: _error("Unknown, or outside the caller's scope (the two look the same)"),
    409: _error("Refused by a rule of the programme in the record's current state"),
    412: _error("If-Match names a version that is no longer current"),
    413: _error("The request body is larger than the service accepts"),
    422: _error(
        "The request is not valid: `details.fields` says which field and why (at most 20; "
        "`details.more_fields` counts the rest; a key the client chose is shown as `*`)"
    ),
    429: _error(
        "Too many failed logins or NIK checks, or too many reports of one user waiting for `min_position`: "
        "wait for Retry-After seconds"
    ),
    500: _error("Unexpected: logged with `details.request_id`, nothing else revealed"),
    503: _error(
        "The store is unreachable or busy, or every password check is taken (`logins_busy`): "
        "retry after Retry-After"
    ),
}
