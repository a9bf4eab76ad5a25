"""The log files of the data dir in the admin: a list, each file's last lines with a
level filter and a live tail, and each file downloaded.

Superusers only: the logs name every instance, folder and error. A download is streamed
(FileResponse), so a 10 MB log never sits in memory; which names may be opened is
decided by web.logfiles alone. Secrets were masked when the lines were written.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from web.logfiles import list_logs, open_log
from web.logtail import LEVELS, tail

LINE_CHOICES = (100, 300, 1000, 3000)


def _superuser_only(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


@never_cache
@require_GET
def log_list(request: HttpRequest) -> HttpResponse:
    _superuser_only(request)
    context = {
        **admin.site.each_context(request),
        "title": gettext("Log files"),
        "folder": settings.LOG_DIR,
        "logs": list_logs(settings.LOG_DIR),
    }
    return render(request, "admin/taggarr_logs.html", context)


@never_cache
@require_GET
def log_view(request: HttpRequest, name: str) -> HttpResponse:
    """The file's last lines; ``?format=json`` gives them to the live tail (log-tail.js)."""
    _superuser_only(request)
    level = request.GET.get("level", "DEBUG").upper()
    level = level if level in LEVELS else "DEBUG"
    count = _number(request.GET.get("lines"), default=LINE_CHOICES[1])
    lines = tail(settings.LOG_DIR, name, lines=count, level=level)
    if lines is None:
        raise Http404("no such log file")
    if request.GET.get("format") == "json":
        return JsonResponse({"lines": [[line.level, line.text] for line in lines]})
    context = {
        **admin.site.each_context(request),
        "title": name,
        "name": name,
        "lines": lines,
        "levels": LEVELS,
        "level": level,
        "line_choices": LINE_CHOICES,
        "count": count,
    }
    return render(request, "admin/taggarr_log.html", context)


def _number(value: str | None, *, default: int) -> int:
    return int(value) if value in {str(n) for n in LINE_CHOICES} else default


@never_cache
@require_GET
def log_download(request: HttpRequest, name: str) -> FileResponse:
    _superuser_only(request)
    handle = open_log(settings.LOG_DIR, name)
    if handle is None:
        raise Http404("no such log file")
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type="text/plain; charset=utf-8"
    )
