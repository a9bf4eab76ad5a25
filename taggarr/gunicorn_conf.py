"""gunicorn's settings for Taggarr's web process (``gunicorn -c python:taggarr.gunicorn_conf``).

The access log goes to the console, through the same redaction as every other log
line: a webhook URL carries its instance's secret token in the path.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from taggarr.logging import RedactSecretsFilter

wsgi_app = "taggarr.wsgi"
accesslog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger with the secret redaction on its access and error logs."""

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactSecretsFilter())


logger_class = RedactingLogger
