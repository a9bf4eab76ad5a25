"""How to reach one Sonarr/Radarr instance."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import metadata
from typing import Literal
from urllib.parse import urlsplit

from scanner.errors import ConfigError
from scanner.http import bounds as http_bounds
from scanner.http.bounds import DEFAULT_ANSWER_MB, DEFAULT_DEADLINE_SECONDS, MB, Bounds
from scanner.http.reasons import Code, Said

ArrKind = Literal["sonarr", "radarr"]
ARR_KINDS: tuple[ArrKind, ...] = ("sonarr", "radarr")


def arr_kind(value: str) -> ArrKind:
    """``value`` (an instance's kind) as an *arr's; ValueError for another."""
    for kind in ARR_KINDS:
        if value == kind:
            return kind
    raise ValueError(f"{value!r} is neither Sonarr nor Radarr")


APP_TITLES: dict[str, str] = {"sonarr": "Sonarr", "radarr": "Radarr"}
# The bulk editor answers only after recomputing statistics of every edited item.
MIN_EDITOR_READ_TIMEOUT = 120.0


def _installed_version() -> str:
    try:
        return metadata.version("taggarr")
    except metadata.PackageNotFoundError:
        # Running from a checkout that was never pip-installed.
        return "dev"


@dataclass(frozen=True)
class ArrConfig:
    """One instance. ``api_key`` is left out of ``repr`` so a logged config cannot leak it."""

    name: str
    kind: ArrKind
    url: str
    api_key: str = field(repr=False)
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    # None: max(read_timeout, MIN_EDITOR_READ_TIMEOUT), filled in by __post_init__.
    editor_read_timeout: float | None = None
    pool_size: int = 4
    # The most of one answer read whole, or of one element of a list read as a stream
    # (a library, an item's files: each element at most ELEMENT_BYTES too, the whole list
    # unbounded in bytes: ``stream_bounds``); and the time one whole exchange, or one
    # element of such a list, may take (never less than its read timeout).
    max_answer_mb: int = DEFAULT_ANSWER_MB
    deadline: float = DEFAULT_DEADLINE_SECONDS
    client_version: str = field(default_factory=_installed_version)

    def __post_init__(self) -> None:
        # Keys read from *_FILE secrets or pasted from the UI often end with a newline,
        # which requests refuses in a header value.
        object.__setattr__(self, "api_key", self.api_key.strip())
        object.__setattr__(self, "url", self.url.strip())
        if self.kind not in APP_TITLES:
            english = f"{self.who}: kind must be sonarr or radarr, not {self.kind!r}"
            raise self._invalid(english, Code.CONFIG_KIND, kind=str(self.kind))
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            english = f"{self.who}: URL {self.url!r} is not an http(s) URL"
            raise self._invalid(english, Code.CONFIG_URL, url=self.url)
        if parts.query or parts.fragment or parts.username or parts.password:
            # Anything here would be repeated in every log line and error message; the
            # person is told so, never shown it.
            english = f"{self.who}: URL must not carry a query, fragment or credentials"
            raise self._invalid(english, Code.CONFIG_URL_EXTRA)
        if not self.api_key:
            raise self._invalid(f"{self.who}: the API key is empty", Code.CONFIG_KEY_EMPTY)
        if not all("!" <= char <= "~" for char in self.api_key):
            # A key saved without this check: requests could never send it in a header.
            english = (
                f"{self.who}: the API key has characters an HTTP header cannot "
                "carry (only letters, digits and punctuation); save the right key again"
            )
            raise self._invalid(english, Code.CONFIG_KEY_CHARACTERS)
        if self.editor_read_timeout is None:
            editor = max(self.read_timeout, MIN_EDITOR_READ_TIMEOUT)
            object.__setattr__(self, "editor_read_timeout", editor)
        if min(self.connect_timeout, self.read_timeout, self.editor_read_timeout or 0) <= 0:
            raise self._invalid(f"{self.who}: timeouts must be positive", Code.CONFIG_TIMEOUTS)
        if self.max_answer_mb < 1 or self.deadline <= 0:
            raise self._invalid(f"{self.who}: answer bounds must be positive", Code.CONFIG_BOUNDS)
        if self.pool_size < 1:
            raise self._invalid(f"{self.who}: pool_size must be at least 1", Code.CONFIG_POOL)

    @staticmethod
    def _invalid(english: str, code: Code, **params: str) -> ConfigError:
        """The English for the log, and the fact for a person (scanner.http.reasons)."""
        return ConfigError(english, said=Said(english, code, params))

    def bounds(self, read_timeout: float) -> Bounds:
        """The bounds of one request whose reads may each wait ``read_timeout``."""
        return Bounds(self.max_answer_mb * MB, max(self.deadline, read_timeout))

    def stream_bounds(self, read_timeout: float) -> Bounds:
        """The bounds of a list read as a stream: each element within the smaller of
        ELEMENT_BYTES and ``max_answer_mb``, nested at most MAX_DEPTH, arriving within
        the deadline of the element before; the list at most MAX_ELEMENTS elements.
        (Read from the module when asked: a test may lower them.)"""
        return Bounds(
            self.max_answer_mb * MB,
            max(self.deadline, read_timeout),
            element_bytes=http_bounds.ELEMENT_BYTES,
            max_elements=http_bounds.MAX_ELEMENTS,
        )

    @property
    def base_url(self) -> str:
        """The URL without a trailing slash; a urlBase such as ``/sonarr`` stays in it."""
        return self.url.rstrip("/")

    @property
    def app_title(self) -> str:
        return APP_TITLES[self.kind]

    @property
    def who(self) -> str:
        """An instance in a configuration error: by name, or a form's unsaved settings."""
        return f"instance {self.name!r}" if self.name else "these settings"

    @property
    def display_name(self) -> str:
        """How messages name the instance: ``Sonarr 'main' at http://sonarr:8989``; one not
        saved yet (a form's address) as ``Sonarr at http://sonarr:8989``."""
        if not self.name:
            return f"{self.app_title} at {self.base_url}"
        return f"{self.app_title} {self.name!r} at {self.base_url}"
