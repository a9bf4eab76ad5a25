"""The Seerr connection's page lists the notification types to tick in Seerr's Webhook
agent (templates/admin/scanner/seerrconnection/change_form.html): each is written as
Seerr's own catalog names it in the reader's language, so that the reader finds the box
(issue 71). Seerr's words: sct/overseerr src/i18n/locale/<lang>.json at
46a9b244efd81e0e70a16a851252114bc2d3c2ca, the keys named below; compared without case
(Seerr writes Title Case, the catalogs sentence case).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

SEERR: dict[str, dict[str, str]] = {
    # components.NotificationTypeSelector.mediaapproved
    "Request Approved": {
        "es": "Petición Aprobada",
        "pt-br": "Solicitação Aprovada",
        "it": "Richiesta approvata",
        "nl": "Verzoek goedgekeurd",
        "pl": "Prośba zatwierdzona",
    },
    # components.NotificationTypeSelector.mediaAutoApproved
    "Request Automatically Approved": {
        "es": "Petición Aprobada Automáticamente",
        "pt-br": "Solicitação Aprovada Automaticamente",
        "it": "Richiesta approvata automaticamente",
        "nl": "Verzoek automatisch goedgekeurd",
        "pl": "Prośba o automatyczne zatwierdzenie",
    },
    # components.NotificationTypeSelector.mediaavailable
    "Request Available": {
        "es": "Petición Disponible",
        "pt-br": "Solicitação Disponível",
        "it": "Richiesta disponibile",
        "nl": "Verzoek beschikbaar",
        "pl": "Dostępne",
    },
    # components.NotificationTypeSelector.issuecreated
    "Issue Reported": {
        "es": "Incidencia Reportada",
        "pt-br": "Problema Reportado",
        "it": "Problema Segnalato",
        "nl": "Probleem gemeld",
        "pl": "Zgłoszono problem",
    },
    # components.NotificationTypeSelector.issuecomment
    "Issue Comment": {
        "es": "Comentario de Incidencia",
        "pt-br": "Comentário no Problema",
        "it": "Commenti segnalazione",
        "nl": "Opmerking op probleem",
        "pl": "Komentarz do problemu",
    },
}

FORM = Path(settings.BASE_DIR) / "templates/admin/scanner/seerrconnection/change_form.html"


@pytest.mark.parametrize("language", ["es", "pt-br", "it", "nl", "pl"])
@pytest.mark.parametrize("label", sorted(SEERR))
def test_each_notification_type_is_seerrs_own_word(label: str, language: str) -> None:
    assert f'{{% translate "{label}" %}}' in FORM.read_text(encoding="utf-8")
    with translation.override(language):
        assert gettext(label).casefold() == SEERR[label][language].casefold()
