"""Apprise, the one place that sees a notifier's URL in the clear.

An Apprise URL carries the service's secret (a bot token, a password, a webhook path).
It never goes into a message of ours, and while Apprise works every log line (Apprise's
own, urllib3's) passes a filter that masks the URL and its parts, on top of Apprise's
own privacy mode and taggarr.logging's patterns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from django.conf import settings
from django.utils.translation import gettext, ngettext

from scanner.http.addresses import refused_host, resolves_refused
from scanner.http.bounds import DEFAULT_DEADLINE_SECONDS
from scanner.notify import answers

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 2000
MIN_SECRET_PART = 4  # shorter parts (a port, "json") are not worth masking
# How long a host name is looked up before a notifier is saved or sent: a resolver that
# does not answer in time lets it pass (each connection checks again where it is made).
RESOLVE_SECONDS = 2.0


def url_problem(url: str) -> str | None:
    """Why ``url`` is no Apprise URL (never echoing it), or None when it is one; in the
    active language (the admin's form and the API say it to the person who typed it)."""
    if len(url) > MAX_URL_LENGTH:
        count = MAX_URL_LENGTH
        return ngettext("at most %(count)d character", "at most %(count)d characters", count) % {
            "count": count
        }
    if not url.isprintable() or any(char.isspace() for char in url):
        return gettext("no spaces or control characters")
    if "://" not in url:
        return gettext("an Apprise URL looks like scheme://..., e.g. ntfy://my-topic")
    with masked(url):
        try:
            plugin = _apprise().Apprise.instantiate(url, suppress_exceptions=True)
        except Exception:  # noqa: BLE001 (a plugin's parser may raise anything; refuse)
            plugin = None
    if plugin is None:
        return gettext("Apprise cannot use this URL: check the scheme and the service's parameters")
    refused = refused_hosts(plugin)
    if refused == "written":
        return gettext(
            "its host is a link-local or cloud metadata address (TAGGARR_ALLOW_LINK_LOCAL)"
        )
    if refused == "resolved":
        return gettext(
            "its host resolves to a link-local or cloud metadata address (TAGGARR_ALLOW_LINK_LOCAL)"
        )
    return None


def refused_hosts(plugin: Any) -> Literal["written", "resolved"] | None:
    """Whether a host the Apprise service connects to is refused as written (an address
    in any spelling, a metadata name) or resolves to refused addresses only
    (scanner.http.addresses); None when allowed, or TAGGARR_ALLOW_LINK_LOCAL is set.
    Each connection is checked again where it is made, whatever the service: this is
    what can be said before."""
    if settings.ALLOW_LINK_LOCAL:
        return None
    hosts = service_hosts(plugin)
    if any(refused_host(host) for host in hosts):
        return "written"
    if any(resolves_refused(host, within=RESOLVE_SECONDS) for host in hosts):
        return "resolved"
    return None


def service_hosts(plugin: Any) -> list[str]:
    """The hosts an Apprise service connects to, as Apprise parsed its URL: the URL's
    host where the service's template names one, and any other host it takes (mailto's
    smtp=, xmpp's xmpp=); of them, those the service counts as its target
    (``url_identifier``): ntfy://my-topic's host is the topic, sent to ntfy.sh, and a
    topic is never looked up."""
    fields = {**getattr(plugin, "template_tokens", {}), **getattr(plugin, "template_args", {})}
    hosts: list[str] = []
    for key, field in fields.items():
        attribute = field.get("map_to", key) if isinstance(field, dict) else key
        if attribute != "host" and not attribute.endswith("_host"):
            continue  # wechat:// maps its URL's host to an agent id, a secret
        value = getattr(plugin, attribute, None)
        if isinstance(value, str) and value and value not in hosts:
            hosts.append(value)
    identifier = getattr(plugin, "url_identifier", None)
    if isinstance(identifier, tuple | list):
        hosts = [host for host in hosts if host in identifier]
    return hosts


def deliver(
    url: str,
    title: str,
    body: str,
    severity: str = "info",
    *,
    deadline: float = DEFAULT_DEADLINE_SECONDS,
) -> bool:
    """Send one message; True when every service behind ``url`` took it. ``severity`` is
    Apprise's notify type: info, success, warning or failure.

    Apprise's services read their answers with per-read timeouts only, so a service
    sending a byte a second would hold the task for ever: Apprise's own ``timeout``
    ends the whole call at ``deadline`` seconds (the services still under way report
    TIMEOUT; apprise/apprise.py, ``Apprise.notify``). Their answers are read up to
    answers.MAX_ANSWER_BYTES (scanner.notify.answers)."""
    with masked(url), answers.bounded():
        plugin = _apprise().Apprise.instantiate(url, suppress_exceptions=True)
        if plugin is None:
            return False
        if refused_hosts(plugin):
            # Saved before the name led there, or before the rule: said, never sent.
            logger.warning(
                "a notification was not sent: its host is or resolves to a link-local or "
                "cloud metadata address (refused unless TAGGARR_ALLOW_LINK_LOCAL is set)"
            )
            return False
        sender = _apprise().Apprise()
        sender.add(plugin)
        try:
            result = sender.notify(title=title, body=body, notify_type=severity, timeout=deadline)
        except Exception as exc:  # noqa: BLE001 (a plugin failing must not end the task)
            # Only the type: the text may hold the URL.
            logger.warning("a notification failed: %s", type(exc).__name__)
            return False
        if result.status == _apprise().AppriseResultStatus.TIMEOUT:
            logger.warning("a notification was not sent within %g s", deadline)
        return bool(result)


def _apprise() -> ModuleType:
    """Imported on first use: Apprise and its plugins are slow to load (bench/README.md),
    and the web process needs them only when a notifier is saved."""
    import apprise

    return apprise


def secret_parts(url: str) -> list[str]:
    """The URL, the parts of it that may be secret, and the shortened forms in which
    Apprise's privacy mode logs them, longest first.

    Apprise logs a URL it refuses, or a token, as its first and last character
    (``mailto://user:H...t@host``) or its last four (``...cret``): telling enough for
    a secret of a few characters, and a hint for any. Those forms are masked for every
    part, even one too short to mask itself."""
    parts = _url_parts(url)
    secrets = {part for part in parts if len(part) >= MIN_SECRET_PART}
    for part in filter(None, (part.strip() for part in parts)):
        secrets |= {f"{part[:1]}...{part[-1:]}", f"...{part[-4:]}"}
    return sorted(secrets, key=len, reverse=True)


def _url_parts(url: str) -> set[str]:
    parts = {url}
    try:
        split = urlsplit(url)
        userinfo, _, host = split.netloc.rpartition("@")
        # Some services keep their token where a host would be (tgram://TOKEN/chat).
        parts.update([split.netloc, host, split.hostname or "", *userinfo.split(":")])
        parts.update(split.path.split("/"))
        parts.update(value for _key, value in parse_qsl(split.query))
        parts.add(split.query)
    except ValueError:
        pass  # not parseable: the whole URL is masked
    return parts | {unquote(part) for part in parts}


class _MaskFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked_message = message
        for secret in self.secrets:
            masked_message = masked_message.replace(secret, "****")
        if masked_message != message:
            record.msg, record.args = masked_message, None
        return True


@contextmanager
def masked(url: str) -> Iterator[None]:
    """Mask ``url`` in every log record handled meanwhile: a filter on the root logger's
    handlers sees the records of every logger (Apprise's, urllib3's) that propagate."""
    mask = _MaskFilter(secret_parts(url))
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(mask)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(mask)
