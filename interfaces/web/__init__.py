"""The web interface for village officers, regency coordinators and auditors: server-rendered
pages in Bahasa Indonesia (English switchable) under ``/``, on the same application layer as
the JSON API under ``/v1``. Pages work without JavaScript; htmx (served by Jejak) only makes
some of them quicker to use."""
