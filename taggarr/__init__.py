"""Taggarr: tags Sonarr/Radarr items by the dub languages of their audio tracks."""

from __future__ import annotations

__version__ = "0.1.0"

# Load the Celery app with Django so @shared_task binds to it.
from taggarr.celery import app as celery_app

__all__ = ["__version__", "celery_app"]
