"""Builds the Seerr client of a stored connection (the one place that decrypts its key)."""

from __future__ import annotations

from django.conf import settings

from scanner.models import SeerrConnection
from scanner.seerr.client import SeerrClient, SeerrConfig


def seerr_client(connection: SeerrConnection) -> SeerrClient:
    deadline = float(min(settings.HTTP_DEADLINE_SECONDS, 60))
    return SeerrClient(
        SeerrConfig(
            url=connection.url,
            api_key=connection.get_api_key(),
            read_timeout=min(30.0, deadline),  # TAGGARR_HTTP_DEADLINE_SECONDS bounds it
            deadline=deadline,
            user_agent=f"Taggarr/{settings.VERSION}",
        )
    )
