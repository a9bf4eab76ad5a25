from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def taggarr(request: HttpRequest) -> dict[str, str]:
    """Values every admin page shows: the version and the Flower link."""
    return {"taggarr_version": settings.VERSION, "flower_url": settings.FLOWER_URL}
