"""The web interface's words, forms and assets, checked without a server: every phrase a
template uses exists in both languages, every journey command has a form, dates and money
read the Indonesian way, and no page loads anything from outside Jejak."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from domain.journey import EVENTS, JourneyAction
from interfaces.web import text
from interfaces.web.journey_forms import ACTION_BY_SEGMENT, ACTION_FORMS
from interfaces.web.static import asset

WEB = Path(text.__file__).parent
TEMPLATES = WEB / "templates"


def _template_keys() -> set[str]:
    keys: set[str] = set()
    for template in TEMPLATES.rglob("*.html"):
        keys.update(re.findall(r"\bt\('([A-Za-z0-9_.-]+)'", template.read_text()))
    for module in WEB.glob("*.py"):
        keys.update(re.findall(r'text\.t\(\s*"([A-Za-z0-9_.-]+)"', module.read_text()))
    return {key for key in keys if not key.endswith(".")}


def test_every_phrase_a_page_uses_exists_in_indonesian_and_english() -> None:
    missing = sorted(key for key in _template_keys() if key not in text.UI)
    assert missing == []
    for key, (bahasa, english) in text.UI.items():
        assert bahasa.strip(), key
        assert english.strip(), key


def test_phrases_built_from_codes_exist_for_every_code() -> None:
    """Pages build some keys from codes (``'saved.' ~ action``, ``'event.' ~ name``)."""
    for form in ACTION_FORMS.values():
        for part in ("title", "submit"):
            assert f"action.{form.segment}.{part}" in text.UI
        assert f"saved.{form.segment}" in text.UI
    for event in EVENTS:
        assert f"event.{event.NAME}" in text.UI


def test_every_journey_command_of_the_domain_has_a_form_at_its_own_url() -> None:
    assert set(ACTION_FORMS) == set(JourneyAction)
    assert set(ACTION_BY_SEGMENT.values()) == set(JourneyAction)


def test_dates_and_money_read_the_indonesian_way() -> None:
    assert text.format_date(date(2025, 7, 5), "id") == "5 Juli 2025"
    assert text.format_date("2025-12-01", "en") == "1 December 2025"
    assert text.format_money(1_500_000, "id") == "Rp 1.500.000"
    assert text.format_money(1_500_000, "en") == "Rp 1,500,000"
    assert text.label("stage", "placement", "id") == "Masa penempatan"


def test_pages_load_nothing_from_outside_jejak() -> None:
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text()
        assert not re.search(r"(src|href)=\"(https?:)?//", source), template.name
    for name in ("jejak.css", "print.css", "dashboard.js"):
        found = asset(name)
        assert found is not None
        assert b"http://" not in found.body
        assert b"https://" not in found.body


def test_vendored_libraries_are_served_with_their_licences() -> None:
    for name in (
        "vendor/htmx-2.0.11.min.js",
        "vendor/htmx-LICENSE.txt",
        "vendor/chart-4.6.1.umd.min.js",
        "vendor/chartjs-LICENSE.md",
    ):
        found = asset(name)
        assert found is not None, name
        assert len(found.gzipped) < len(found.body)
    assert asset("../session.py") is None
    assert asset("vendor/../../session.py") is None
