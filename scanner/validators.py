"""Validation of instance settings, shared by the model, the admin form and the API.

Each function takes the raw value, returns the normalised value, and raises
ValidationError with a message that names the bad part.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from scanner.engine.languages import short_code, validate_languages
from scanner.engine.real_targets import real_target
from scanner.engine.target_aliases import key, nearest
from scanner.engine.targets import is_regional, target_code
from scanner.errors import ConfigError, UnknownLanguageError
from scanner.http.addresses import refused_host
from scanner.language_names import language_label, language_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a message, or one translated when shown

# A search (the API's ?search=, the admin's ?q=) looks for a title, a name or a path's
# part, not a document; each word of it is one more condition on every search field.
MAX_SEARCH_LENGTH = 200


def _invalid(template: StrOrPromise, **params: Any) -> ValidationError:
    """User input goes into ``params``, never into the message itself: callers such as
    django-filter %-format every message, and a '%' typed by a user must not break that."""
    return ValidationError(template, params=params)


def clean_arr_url(value: str) -> str:
    """An http(s) URL with a host (Docker service names like ``sonarr`` included)."""
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _invalid(_("%(value)r must start with http:// or https://"), value=value)
    if not parts.hostname:
        raise _invalid(_("%(value)r has no host name"), value=value)
    if parts.username or parts.password:
        raise ValidationError(_("put no user name or password in the URL; use the API key"))
    if parts.query or parts.fragment:
        raise _invalid(_("%(value)r must not have a query string or fragment"), value=value)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise _invalid(_("%(value)r has an invalid port"), value=value) from None
    if not _is_host(parts.hostname):
        raise _invalid(_("%(host)r is not a valid host name"), host=parts.hostname)
    if refused_host(parts.hostname) and not settings.ALLOW_LINK_LOCAL:
        raise _invalid(LINK_LOCAL_REFUSED, host=parts.hostname)
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


# The shortest API key or token taken (an empty one keeps the saved key). Sonarr's and
# Radarr's own health check (ApiKeyValidationCheck) warns about a key shorter than 20
# characters; the keys they generate have 32 hex digits, as Jellyfin's and Emby's do, and
# a Plex token has 20 characters.
MIN_KEY_LENGTH = 20


def clean_api_key(value: str) -> str:
    """An *arr API key travels in an HTTP header: visible ASCII only (Sonarr's and
    Radarr's are 32 hex digits). Anything else could never authenticate."""
    key = _header_secret(value)
    if key and len(key) < MIN_KEY_LENGTH:
        raise _invalid(
            _(
                "an API key has at least %(minimum)d characters (Sonarr's and Radarr's have 32: "
                "copy it from Settings → General)"
            ),
            minimum=MIN_KEY_LENGTH,
        )
    return key


def clean_server_token(value: str) -> str:
    """A media server's API key: like an *arr key, and no double quote (it travels
    quoted in ``Authorization: MediaBrowser Token="..."``; Jellyfin's are 32 hex digits)."""
    token = _header_secret(value)
    if '"' in token:
        raise ValidationError(_("an API key has no double quote (copy it from the server)"))
    if token and len(token) < MIN_KEY_LENGTH:
        raise _invalid(
            _(
                "an API key or token has at least %(minimum)d characters (Jellyfin's and Emby's "
                "API keys have 32, a Plex token 20: copy it from the server)"
            ),
            minimum=MIN_KEY_LENGTH,
        )
    return token


def _header_secret(value: str) -> str:
    key = value.strip()
    if len(key) > 500:
        raise ValidationError(_("an API key is at most 500 characters (Sonarr's has 32)"))
    if key and not all("!" <= char <= "~" for char in key):
        raise ValidationError(
            _(
                "an API key has only letters, digits and punctuation, no spaces or other "
                "characters (copy it from Settings → General in Sonarr/Radarr)"
            )
        )
    return key


UNKNOWN_LANGUAGE = _("unknown language %(value)s: give a code such as de or deu, or its name")
UNKNOWN_TARGET = _(
    "unknown language or region %(value)s: give a language such as de, or a language and a "
    "country or region such as fr-CA or es-419"
)
# A refused word (one that parses as no code or tag) with the names closest to it
# (engine.target_aliases.nearest), each as SUGGESTION or as "name (code)".
UNKNOWN_TARGET_NEAR = _("unknown language or region '%(value)s': did you mean %(suggestions)s?")
# One name offered: the word as people write it, the language it names, its code:
# "VFQ (français canadien, fr-CA)".
SUGGESTION = _("%(word)s (%(name)s, %(code)s)")
SHOWN_VALUE = 40  # characters of a refused value quoted back


def clean_languages(values: Any, *, allow_empty: bool) -> list[str]:
    return _clean_codes(
        values, allow_empty=allow_empty, validate=validate_languages, unknown=_unknown_language
    )


def _unknown_language(value: object) -> ValidationError:
    return _invalid(UNKNOWN_LANGUAGE, value=repr(str(value)[:SHOWN_VALUE]))


def clean_targets(values: Any) -> list[str]:
    """Target languages: as ``clean_languages``, and a variety stays one (``fr-CA``,
    ``es-419``, ``yue``: engine.targets); only real languages, regions and scripts
    (engine.real_targets: not ``e``, ``es-999`` nor ``fr-Cyrl-CA``)."""
    return _clean_codes(
        values, allow_empty=False, validate=_validate_real_targets, unknown=_unknown_target
    )


def _unknown_target(value: object) -> ValidationError:
    """A refused target, with the names nearest to it when some are near."""
    shown = str(value)[:SHOWN_VALUE]
    # A code or tag that parses (e, es-999, fr-Cyrl-CA) is told how a target is written.
    near = nearest(shown, _locale()) if target_code(shown) is None else []
    suggestions = ", ".join(map(_suggestion, near))
    if not suggestions:
        return _invalid(UNKNOWN_TARGET, value=repr(shown))
    return _invalid(UNKNOWN_TARGET_NEAR, value=shown, suggestions=suggestions)


def _locale() -> str:
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


def _suggestion(found: tuple[str, str]) -> str:
    word, code = found
    shown = code if is_regional(code) else short_code(code)  # as the forms show it
    name = language_name(code)
    if key(word) in (key(shown), key(name)):  # "français canadien (fr-CA)"
        return language_label(shown)
    return str(SUGGESTION % {"word": word, "name": name, "code": shown})


def _validate_real_targets(values: list[str]) -> list[str]:
    return validate_languages(values, code_of=real_target)


def _clean_codes(
    values: Any,
    *,
    allow_empty: bool,
    validate: Callable[[list[str]], list[str]],
    unknown: Callable[[object], ValidationError],
) -> list[str]:
    if isinstance(values, str):
        values = [part for part in values.replace(" ", ",").split(",") if part]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("give a list of language codes such as ['en', 'de']"))
    if not values and not allow_empty:
        raise ValidationError(_("give at least one language"))
    try:
        return validate(values)
    except UnknownLanguageError as exc:
        raise unknown(exc.value) from None
    except ConfigError as exc:
        raise _invalid("%(reason)s", reason=str(exc)) from None


def clean_language(value: str) -> str:
    if not value:
        return ""
    return clean_languages([value], allow_empty=False)[0]


def clean_folders(values: Any) -> list[str]:
    """Absolute local folders, normalised, without duplicates."""
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("give a list of absolute folder paths"))
    folders: list[str] = []
    for raw in values:
        folder = _clean_abs_path(raw)
        if folder not in folders:
            folders.append(folder)
    return folders


def _clean_abs_path(raw: str) -> str:
    value = raw.strip()
    if not value.startswith("/"):
        raise _invalid(_("%(path)r must be an absolute path (starting with /)"), path=raw)
    if "\x00" in value or any(part == ".." for part in PurePosixPath(value).parts):
        raise _invalid(_("%(path)r must not contain '..' or NUL characters"), path=raw)
    return str(PurePosixPath(value))


def clean_path_mappings(values: Any) -> list[dict[str, str]]:
    """``[{"remote": ..., "local": ...}]``; the remote side may be a Windows path."""
    if not isinstance(values, list):
        raise ValidationError(_('give a list like [{"remote": "/tv", "local": "/mnt/tv"}]'))
    mappings: list[dict[str, str]] = []
    for index, entry in enumerate(values, start=1):
        if not isinstance(entry, dict) or set(entry) != {"remote", "local"}:
            raise _invalid(
                _("mapping %(index)d must have exactly 'remote' and 'local'"), index=index
            )
        remote, local = entry["remote"], entry["local"]
        if not isinstance(remote, str) or not remote.strip():
            raise _invalid(_("mapping %(index)d: 'remote' must be a non-empty path"), index=index)
        if not isinstance(local, str):
            raise _invalid(_("mapping %(index)d: 'local' must be a path"), index=index)
        mappings.append({"remote": remote.strip(), "local": _clean_abs_path(local)})
    return mappings


def clean_genres(values: Any) -> list[str]:
    if isinstance(values, str):
        values = [part.strip() for part in values.split(",")]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("give a list of genre names"))
    return _unique(v.strip() for v in values if v.strip())


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
