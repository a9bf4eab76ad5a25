"""The fake plex.tv inside a real worker: loaded by the tests only
(``celery_worker(include=("tests.plex_tv_url",))``, Celery's ``--include``), never by
the product. Plex clients reach plex.tv at ``settings.PLEX_TV_URL`` (not read from the
environment: nobody points a real install elsewhere), which in-process tests override;
a worker takes it from TAGGARR_TEST_PLEX_TV_URL here."""

from __future__ import annotations

import os

from django.conf import settings

_url = os.environ.get("TAGGARR_TEST_PLEX_TV_URL", "")
if _url:
    settings.PLEX_TV_URL = _url
