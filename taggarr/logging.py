"""Logging set-up: console plus a rotating file in the data dir, text or JSON lines.

A redaction filter on every handler (and on gunicorn's access log) masks API keys and
tokens that might slip into a message (a URL with ``?apikey=``, a header dump), as a
second line of defence: code never logs secrets on purpose. A request's path is logged
as it was sent, so a token is found however it is spelled: by its shape (the tokens
hashed_tokens makes) wherever it stands, and in the percent-decoded text too
(``/api/%77ebhooks/<token>/``, a feed token written ``%74%67%66%5F…``). A line whose
decoded text holds a secret is logged decoded, masked, with its control characters
left escaped (a ``%0A`` forges no line). And in every message, a control character
(a CR or LF in a file or folder name, an escape sequence in a title an *arr sent) is
written escaped (``\\x0a``): one record, one line, whatever outside text it quotes.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from accounts.hashed_tokens import TOKEN_SHAPE

_SECRET_PATTERNS = (
    # The webhook URL carries the instance's token: Django's request log and the web
    # server's access log write request paths.
    re.compile(r"(/api/webhooks/)[^/\s?'\"]+"),
    # A dub news feed's token (in its URL, for feed readers): wherever it appears.
    re.compile(r"(tgf_)[A-Za-z0-9_-]+"),
    re.compile(r"(?i)(apikey=|api_key=|token=|password=)[^&\s'\"]+"),
    # The password of a URL's user info: redis://:PASSWORD@host, postgres://user:PASSWORD@db.
    re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@'\"<>]*:)[^\s/@'\"<>]+(?=@)"),
    re.compile(r"(?i)(x-api-key['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}]+"),
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer|basic|token)\s+)[^'\"\s,}]+"),
)


_TOKEN_SHAPED = re.compile(TOKEN_SHAPE)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Control characters but the tab, and the Unicode line and paragraph separators.
_FORGING = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
DECODINGS = 3  # %2577 is %77 is w: a path encoded twice over is decoded as far


def redact(text: str) -> str:
    masked = _mask(text)
    if "%" not in masked:
        return masked
    decoded = masked
    for _ in range(DECODINGS):
        once = unquote(decoded, errors="replace")
        if once == decoded:
            break
        decoded = once
    redone = _mask(decoded)
    if redone == decoded:
        return masked  # nothing more hidden in it: logged as it was sent
    return _CONTROL.sub(lambda found: f"%{ord(found.group()):02X}", redone)


def _escape_controls(text: str) -> str:
    return _FORGING.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _mask(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1****", text)
    return _TOKEN_SHAPED.sub("****", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _escape_controls(redact(message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def process_role(argv: list[str] | None = None) -> str:
    """web, worker, beat, flower or cli: each role logs to its own file, so two
    processes never rotate the same file under each other."""
    argv = sys.argv if argv is None else argv
    args = [Path(arg).name for arg in argv]
    # "celery ..." or "python -m celery ..." (argv[0] is then celery/__main__.py)
    if args and (args[0] == "celery" or Path(argv[0]).parent.name == "celery"):
        for role in ("worker", "beat", "flower"):
            if role in args:
                return role
    if any(arg in ("gunicorn", "runserver") for arg in args):
        return "web"
    return "cli"


def logging_config(*, level: str, log_format: str, log_dir: Path) -> dict[str, Any]:
    formatter = "json" if log_format == "json" else "text"
    handler_common = {"formatter": formatter, "filters": ["redact"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "taggarr.logging.RedactSecretsFilter"}},
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
            "json": {"()": "taggarr.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", **handler_common},
            "file": {
                "class": "logging.handlers.RotatingFileHandler",
                "filename": str(log_dir / f"taggarr-{process_role()}.log"),
                "maxBytes": 10 * 1024 * 1024,
                "backupCount": 5,
                "encoding": "utf-8",
                # A file name that is not UTF-8 is logged with its bytes escaped.
                "errors": "backslashreplace",
                "delay": True,
                **handler_common,
            },
        },
        "root": {"handlers": ["console", "file"], "level": level},
        "loggers": {
            "django": {"level": level},
            "django.db.backends": {"level": "INFO"},
            "urllib3": {"level": "WARNING"},
        },
    }
