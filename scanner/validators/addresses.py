"""The address of an *arr or a media server: a URL, and whether two are the same."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scanner.http.addresses import refused_host
from scanner.validators.common import invalid


def clean_arr_url(value: str) -> str:
    """An http(s) URL with a host (Docker service names like ``sonarr`` included)."""
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise invalid(_("%(value)r must start with http:// or https://"), value=value)
    if not parts.hostname:
        raise invalid(_("%(value)r has no host name"), value=value)
    if parts.username or parts.password:
        raise ValidationError(_("put no user name or password in the URL; use the API key"))
    if parts.query or parts.fragment:
        raise invalid(_("%(value)r must not have a query string or fragment"), value=value)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise invalid(_("%(value)r has an invalid port"), value=value) from None
    if not _is_host(parts.hostname):
        raise invalid(_("%(host)r is not a valid host name"), host=parts.hostname)
    if refused_host(parts.hostname) and not settings.ALLOW_LINK_LOCAL:
        raise invalid(LINK_LOCAL_REFUSED, host=parts.hostname)
    return url


# A cloud's metadata service answers there with the machine's credentials.
LINK_LOCAL_REFUSED = _(
    "%(host)r is a link-local or cloud metadata address: refused unless "
    "TAGGARR_ALLOW_LINK_LOCAL is set"
)


def same_address(saved: str, given: str) -> bool:
    """Whether ``given`` is the address ``saved`` (both normalised as clean_arr_url
    stores a URL): a saved key or token goes only there."""
    return bool(saved) and _normalised(saved) == _normalised(given)


def same_address_key(url: str) -> str:
    """``url`` as ``same_address`` compares it (what identifies an address)."""
    return _normalised(url)


def _normalised(url: str) -> str:
    try:
        url = clean_arr_url(url)
    except ValidationError:
        url = url.strip().rstrip("/")
    parts = urlsplit(url)
    # The scheme and the host name are case-insensitive (RFC 3986 §6.2.2.1).
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.split(".")
        return all(
            label and len(label) <= 63 and label.replace("-", "").replace("_", "").isalnum()
            for label in labels
        )
    return True
