"""Django's error reports (the debug page of ``TAGGARR_DEBUG=true``, error mails) without
Taggarr's secrets.

Django's own filter hides settings named like ``KEY`` or ``PASS``, and only when DEBUG is
off, so its debug page would show ``REDIS_URL`` with its password, and the webhook token
in the request's path and in the view's variables. Here the filter also works with DEBUG
on and hides more names (settings, headers and frame variables alike). The rendered
report then passes through the log redaction (webhook paths, URL credentials,
``apikey=``...), which also covers what no filter sees: the request's path in the title
and the ``repr`` of objects.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from taggarr.logging import redact


class SecretsHiddenFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|CREDENTIAL|PRIVATE|DSN|"
        "REDIS|BROKER|DATABASE_URL",
        flags=re.IGNORECASE,
    )

    def is_active(self, request: Any) -> bool:
        return True  # DEBUG on is when the page is shown at all

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)  # recurses through this method
        return redact(cleansed) if isinstance(cleansed, str) else cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        # As settings are: by name, into dicts and lists (a view's ``callback_kwargs``
        # holds the webhook token), strings redacted.
        return [
            (name, self._cleanse_variable(name, value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def _cleanse_variable(self, name: str, value: Any) -> Any:
        try:
            return self.cleanse_setting(name, value)
        except RecursionError:  # a JSON body nested as deep as the parser allowed
            return "(nested too deeply to show)"


class SecretsHiddenReporter(ExceptionReporter):
    # Django's rendered report is safe (its template escaped it); taking parts out of it
    # keeps it so.
    def get_traceback_html(self) -> SafeString:
        return mark_safe(redact(super().get_traceback_html()))  # noqa: S308

    def get_traceback_text(self) -> SafeString:
        return mark_safe(redact(super().get_traceback_text()))  # noqa: S308
