"""Forms that carry a file (a spreadsheet to import or to reconcile): the CSRF token is
checked as for every form, and the file is read from the same multipart body."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from interfaces.web.forms import Form, FormDep


class Upload:
    def __init__(self, form: Form, content: bytes | None) -> None:
        self.form = form
        self.content = content


async def checked_upload(request: Request, form: FormDep) -> Upload:
    """The checked form and the bytes of its file (``None`` when no file came)."""
    data = await request.form()  # parsed once: the form dependency already read it
    content = None
    for _, value in data.multi_items():
        if isinstance(value, UploadFile):
            if value.filename and content is None:
                content = await value.read()
            await value.close()  # spooled to a temporary file: gone once read
    return Upload(form, content or None)


UploadDep = Annotated[Upload, Depends(checked_upload)]
