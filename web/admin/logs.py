"""The log files of the data dir in the admin: a list, and each file downloaded.

Superusers only: the logs name every instance, folder and error. A file is streamed
(FileResponse), so a 10 MB log never sits in memory; which names may be downloaded
is decided by web.logfiles alone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from web.logfiles import list_logs, open_log


def _superuser_only(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


@never_cache
@require_GET
def log_list(request: HttpRequest) -> HttpResponse:
    _superuser_only(request)
    context = {
        **admin.site.each_context(request),
        "title": "Log files",
        "folder": settings.LOG_DIR,
        "logs": list_logs(settings.LOG_DIR),
    }
    return render(request, "admin/taggarr_logs.html", context)


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
