from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.helpers import manage

pytestmark = pytest.mark.django_db


def test_healthz_needs_no_login_and_reports_dependencies(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_healthz_503_when_broker_unreachable(client: Client, settings) -> None:
    from taggarr.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")


@pytest.mark.parametrize("path", ["/healthz", "/admin/login/", "/does-not-exist"])
def test_security_headers_on_every_response(client: Client, path: str) -> None:
    response = client.get(path)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_https_mode_redirects_but_not_the_healthcheck(client: Client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/admin/login/").status_code == 301
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/api/webhooks/seerr/", "/api/webhooks/seerr", "/api/webhooks/"])
def test_https_mode_does_not_redirect_a_webhook(client: Client, settings, path: str) -> None:
    """A redirected webhook is lost: after a 301 Seerr's agent (axios, follow-redirects
    1.15: index.js _processResponse) re-sends it as a GET without its body, as .NET's
    HttpClient does for Sonarr's; after a 308 to another host the Authorization header is
    dropped. Answered where it was sent: refused for its missing token, not moved."""
    settings.SECURE_SSL_REDIRECT = True
    response = client.post(path, data=b"{}", content_type="application/json")
    assert response.status_code == 401


def test_deploy_check_passes_with_debug_off() -> None:
    env = {**os.environ, "TAGGARR_DEBUG": "false"}
    env.pop("TAGGARR_HTTPS", None)  # the defaults, as a deployment has them
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_root_redirects_to_admin(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_json_log_lines(tmp_path) -> None:
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('taggarr.test').warning('hello %s', 'world')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "taggarr.settings",
            "TAGGARR_LOG_FORMAT": "json",
            "TAGGARR_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello world"
    assert line["level"] == "WARNING"
    log_file = tmp_path / "logs" / "taggarr-cli.log"
    assert json.loads(log_file.read_text().splitlines()[-1])["message"] == "hello world"


def test_web_workers_load_the_urls_before_their_first_request(tmp_path) -> None:
    code = "import sys, taggarr.wsgi; print('web.admin.dashboard' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "taggarr.settings",
            "TAGGARR_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["True"]
