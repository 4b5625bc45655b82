"""Types shared by request bodies: text that can be stored, ids, dates."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints


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
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_storable)
]
Note = Annotated[str, StringConstraints(max_length=4000), AfterValidator(_storable)]
Code = Annotated[str, StringConstraints(min_length=2, max_length=13, pattern=r"^[0-9.]+$")]


class Body(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error rather than lost data."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WriteResponse(BaseModel):
    """Every write answers with the aggregate's id, its new version and the position of the
    last event it recorded in the global feed (pass it as ``min_position`` to reports)."""

    id: str = Field(examples=["3f8a1c2e-5b7d-4e9f-a1b2-c3d4e5f60718"])
    version: int = Field(examples=[1])
    position: int = Field(examples=[42])


def example(**values: Any) -> dict[str, Any]:
    return {"examples": [values]}
