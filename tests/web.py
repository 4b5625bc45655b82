"""Helpers for tests of the web interface: a person in a browser-like client who logs in
through the form, reads pages and sends forms with the hidden fields each page rendered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient

from tests.support import PASSWORD

_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def hidden_fields(html: str, action: str) -> dict[str, str]:
    """The hidden fields (CSRF token, form key, version) of the form posting to ``action``."""
    start = html.find(f'action="{action}"')
    assert start >= 0, f"no form posts to {action}"
    end = html.find("</form>", start)
    return {name: unescape(value) for name, value in _HIDDEN.findall(html[start:end])}


def field_errors(html: str) -> dict[str, str]:
    """Messages shown next to fields, by the id of the field they belong to."""
    found = re.findall(
        r'<span class="field-error" id="([a-z0-9_-]+)-err" role="alert">([^<]+)', html
    )
    return {field_id: unescape(message).strip() for field_id, message in found}


@dataclass
class Person:
    """Someone using Jejak in a browser: cookies kept between requests, redirects followed."""

    client: TestClient

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        self.client.cookies.clear()
        page = self.client.get("/login")
        return self.client.post(
            "/login",
            data={**hidden_fields(page.text, "/login"), "username": username, "password": password},
        )

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)

    def submit(
        self, page_path: str, action: str, data: dict[str, Any], **kwargs: Any
    ) -> httpx.Response:
        """Opens ``page_path`` and sends its form posting to ``action`` with ``data``."""
        page = self.client.get(page_path)
        assert page.status_code == 200, page.text
        return self.send(page.text, action, data, **kwargs)

    def send(self, html: str, action: str, data: dict[str, Any], **kwargs: Any) -> httpx.Response:
        return self.client.post(action, data={**hidden_fields(html, action), **data}, **kwargs)


def cooperative_with_a_member(person: Person, village_page: str) -> tuple[str, httpx.Response, str]:
    """Establishes a cooperative from the village page and admits Sri Wahyuni (family):
    the cooperative's path, the page after the admission and her member id."""
    established = person.submit(
        village_page,
        f"{village_page}/cooperatives",
        {"name": "Koperasi Desmigratif Ternyang", "established_on": "2019-03-01"},
    )
    coop_path = str(established.url).split("?")[0].removeprefix("http://testserver")
    admitted = person.submit(
        coop_path,
        f"{coop_path}/members",
        {"kind": "family", "name": "Sri Wahyuni", "occurred_on": "2020-01-01"},
    )
    assert "Sri Wahyuni" in admitted.text
    member_id = re.search(r'<option value="([0-9a-f-]{36})">Sri Wahyuni', admitted.text)
    assert member_id
    return coop_path, admitted, member_id.group(1)
