from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taggarr.settings")
application = get_wsgi_application()
# The URLs (and with them the admin, the API and the OpenAPI schema) load here, as each
# web worker starts, not on the worker's first request: a webhook would otherwise wait
# for them (bench/README.md). manage.py never imports this module, so it starts no slower.
get_resolver().url_patterns  # noqa: B018
