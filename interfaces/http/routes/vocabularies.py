"""The closed vocabularies of journeys, with labels for people in English and Indonesian."""

from __future__ import annotations

from fastapi import APIRouter, Request

from domain.vocabularies import COUNTRY_CODES, HOME_COUNTRY, VOCABULARIES
from interfaces.http.deps import PrincipalDep
from interfaces.http.i18n import LABELS, wants_indonesian
from interfaces.http.schemas.journeys import VocabulariesView, VocabularyItem

router = APIRouter(prefix="/v1", tags=["vocabularies"])


@router.get("/vocabularies", response_model=VocabulariesView)
def list_vocabularies(request: Request, principal: PrincipalDep) -> VocabulariesView:
    """Every value a journey field accepts, with its label; ``label`` follows
    Accept-Language (``id`` for Bahasa Indonesia)."""
    indonesian = wants_indonesian(request.headers.get("accept-language"))
    vocabularies: dict[str, list[VocabularyItem]] = {}
    for name, members in VOCABULARIES.items():
        labels = LABELS[name]
        items = []
        for member in members:
            english, bahasa = labels[member.value]
            items.append(
                VocabularyItem(
                    code=member.value,
                    label=bahasa if indonesian else english,
                    label_en=english,
                    label_id=bahasa,
                )
            )
        vocabularies[name] = items
    countries = sorted(COUNTRY_CODES - {HOME_COUNTRY})
    return VocabulariesView(vocabularies=vocabularies, countries=countries)
