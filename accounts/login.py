"""The admin login with the same limit on failures per user name and address as the
API's token endpoint (accounts.throttles): a 429 page with Retry-After once it is reached."""

from __future__ import annotations

import logging
import math

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from accounts.throttles import login_failed, login_succeeded, login_wait

logger = logging.getLogger(__name__)


@sensitive_post_parameters()
@csrf_protect
@never_cache
def rate_limited_login(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        wait = login_wait(request)
        if wait is not None:
            seconds = max(math.ceil(wait), 1)
            logger.warning(
                "admin login from %s refused: too many attempts", request.META.get("REMOTE_ADDR")
            )
            context = {**admin.site.each_context(request), "retry_after": seconds}
            response = render(request, "admin/login_limited.html", context, status=429)
            response["Retry-After"] = str(seconds)
            return response
    response = admin.site.login(request)
    if request.method == "POST":
        # Django's LoginView redirects after a login and shows the form again after a
        # failure (a wrong password, or a user who is not staff).
        (login_succeeded if response.status_code == 302 else login_failed)(request)
    return response
