"""Taggarr's URLs and one view that fails, for the 500 page's test."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from taggarr.urls import urlpatterns as taggarr_urls


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fails/", failing_view), *taggarr_urls]
