"""Typed readers for environment variables, used by settings.py only.

Every reader fails loudly with a message that names the variable, so a typo in
`.env` stops the start-up with a clear line instead of a confusing error later.
Secrets can come from ``NAME_FILE`` (Docker/Kubernetes secrets) instead of ``NAME``.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    """Reads settings from a mapping (``os.environ`` by default; tests pass a dict).

    The readers are named after the types they return (``env.str(...)``), which hides
    those types inside the class: its signatures name them as ``builtins.*``.
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self._environ.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    def str(self, name: builtins.str, default: builtins.str = "") -> builtins.str:
        value = self._raw(name)
        return default if value is None else value

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")

    def int(
        self, name: builtins.str, default: builtins.int, *, minimum: builtins.int | None = None
    ) -> builtins.int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
        return number

    def choice(
        self, name: builtins.str, default: builtins.str, choices: tuple[builtins.str, ...]
    ) -> builtins.str:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered not in choices:
            allowed = ", ".join(choices)
            raise ImproperlyConfigured(f"{name} must be one of {allowed}, got {value!r}")
        return lowered

    def list(
        self, name: builtins.str, default: builtins.list[builtins.str] | None = None
    ) -> builtins.list[builtins.str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def secret(self, name: builtins.str) -> builtins.str | None:
        """``NAME`` or the contents of the file named by ``NAME_FILE`` (not both)."""
        direct = self._raw(name)
        file_name = self._raw(f"{name}_FILE")
        if direct and file_name:
            raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
        if file_name is None:
            return direct
        try:
            content = Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE: cannot read {file_name!r}: {exc.strerror}"
            ) from None
        if not content:
            raise ImproperlyConfigured(f"{name}_FILE: {file_name!r} is empty")
        return content


def redis_url(url: str | None, name: str) -> str | None:
    """``url`` as given when it is a Redis URL (``redis://`` or ``rediss://``), or None.
    Names only the scheme when it refuses one: the URL may carry a password."""
    if url and urlsplit(url).scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(
            f"{name} must start with redis:// or rediss://, got {urlsplit(url).scheme}://"
        )
    return url


def generated_secret(path: Path, *, nbytes: int = 48) -> str:
    """Read a secret from ``path``, creating it (mode 0600) on first start.

    The value is written to a private temporary file and then hard-linked into
    place: ``link`` fails if the name exists, so when web, worker and beat
    start at the same moment exactly one secret wins and nobody ever reads a
    half-written file.
    """
    try:
        return _read_secret_file(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(nbytes))
        with contextlib.suppress(FileExistsError):  # another process won the race
            os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return _read_secret_file(path)


def _read_secret_file(path: Path) -> str:
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise ImproperlyConfigured(f"{path} is empty: delete it to generate a new secret")
    return value
