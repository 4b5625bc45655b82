"""TODO"""

from __future__ import annotations

from fastapi import APIRouter

from interfaces.web.routing import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
