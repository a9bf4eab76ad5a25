"""Builds the Seerr client of a stored connection (the one place that decrypts its key)."""

from __future__ import annotations

from django.conf import settings

from scanner.models import SeerrConnection
from scanner.seerr.client import SeerrClient, SeerrConfig


def seerr_client(connection: SeerrConnection) -> SeerrClient:
    return SeerrClient(
        SeerrConfig(
            url=connection.url,
            api_key=connection.get_api_key(),
            deadline=float(min(settings.HTTP_DEADLINE_SECONDS, 60)),
            user_agent=f"Taggarr/{settings.VERSION}",
        )
    )
