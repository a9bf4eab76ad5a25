"""gunicorn's settings for Taggarr's web process (``gunicorn -c python:taggarr.gunicorn_conf``),
the same in the Docker image and under ``make run`` (both start it through
docker/entrypoint.sh).

The access log goes to the console, through the same redaction as every other log
line: a webhook URL carries its instance's secret token in the path.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from taggarr.logging import RedactSecretsFilter

wsgi_app = "taggarr.wsgi"
accesslog = "-"
# In the image 0.0.0.0:8000 (published by compose); make run sets HOST:PORT.
bind = [os.environ.get("TAGGARR_BIND", "0.0.0.0:8000")]
workers = int(os.environ.get("TAGGARR_WEB_WORKERS", "2"))
# The scheme a reverse proxy reports (X-Forwarded-Proto) is trusted from any address:
# in a container the proxy's address is not known in advance. Django decides what it
# trusts itself (TAGGARR_PROXY_SSL_HEADER, TAGGARR_NUM_PROXIES).
forwarded_allow_ips = "*"
# gunicorn's control socket defaults to one per user ($XDG_RUNTIME_DIR or ~/.gunicorn), so
# two Taggarrs of one user (two clones, or make run beside a test) would share it: each
# web process gets its own in its data dir instead.
control_socket = os.path.join(
    os.environ.get("TAGGARR_DATA_DIR") or os.path.join(os.path.dirname(__file__), "..", "data"),
    f"gunicorn-{bind[0].rpartition(':')[2]}.ctl",
)


class RedactingLogger(Logger):
    """gunicorn's logger with the secret redaction on its access and error logs."""

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactSecretsFilter())


logger_class = RedactingLogger
