"""The admin site: its home is the library once set up, the guide before; its lists of
pages show what a person uses, the scanner's internal tables left out.

Django's default site sorts apps and models alphabetically and lists every model, which
put "Media files", "Scan items" and "Seasons" next to Instances and Media. The internal
tables stay registered: a superuser opens them by their address. This module imports
nothing of Taggarr's apps (the site is built lazily, before ``web.admin`` registers
anything).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite, actions
from django.contrib.admin import action as admin_action
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.views.main import SEARCH_VAR
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# The scanner models a person works with, in this order; the dashboard goes after Scans.
# The scanner's other models are internal tables, in no list of pages.
PRODUCT_MODELS = (
    "Instance", "MediaServer", "Person", "SeerrConnection", "DefaultTrackChange", "ProfileChange",
    "BadgeChange", "Media", "ScanRun", "Event", "Notifier",
)  # fmt: skip
# The scanner's internal tables: the workers' bookkeeping, rows a page of the product
# shows in its own way (an item's files and seasons, a run's items, a person's accounts),
# opened by their address only. Every other registered model's list is reached by a link
# (tests/web/test_reachable.py walks the admin from its home page): in the lists above,
# or from the page it belongs to (a Seerr connection's users and the requests it follows).
INTERNAL_MODELS = (
    "scanner.ActPlanning", "scanner.Artwork", "scanner.ArtworkFetch", "scanner.BadgeLease",
    "scanner.DefaultTrackLease", "scanner.PosterOriginal",
    "scanner.FeedNamespace", "scanner.ItemProfile", "scanner.MediaFile", "scanner.MissingSearch",
    "scanner.NotifierThrottle", "scanner.PersonAccount", "scanner.PersonCount",
    "scanner.PersonItemWant", "scanner.ProfileLease", "scanner.ScanItem", "scanner.ScanRequest",
    "scanner.Season", "scanner.SeerrDelivery", "scanner.ServerItemLink", "scanner.ServerOriginal",
    "scanner.TrackCheck",
    "scanner.TrackLease", "scanner.TrackRun", "scanner.TrackSetting", "scanner.WishProfile",
)  # fmt: skip
DASHBOARD_AFTER = "ScanRun"
# Every act's changes on one page (web.admin.changes): listed after the acts' own pages.
CHANGES_AFTER = "BadgeChange"
# A page named otherwise than its rows: the default tracks' page lists changes, one per
# file, and is the page of the default tracks (issue 81); the quality profiles' page lists
# changes, one per item, and links each instance's mapping (issue 82).
PAGE_NAMES = {
    "DefaultTrackChange": _("Default tracks"),
    "ProfileChange": _("Quality profiles"),
    "BadgeChange": _("Dub badges"),
}
# A person's own ways in (API tokens, feed tokens): with the accounts app, not internals.
USER_SETTINGS_MODELS = ("FeedToken",)
USER_SETTINGS_NAME = _("Your access")


@admin_action(permissions=["delete"], description=_("Delete the selection"))
def delete_selected(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    """Django's own delete action (its confirmation page), under a name that needs no
    grammatical gender ("Supprimer la sélection", not "les analyses sélectionnés")."""
    return actions.delete_selected(modeladmin, request, queryset)


class TaggarrAdminSite(AdminSite):
    site_header = "Taggarr"  # the product's name, in every language
    site_title = "Taggarr"
    index_title = _("Instances, media and scans")
    site_url = None  # "/" only leads back to the admin
    # The main menu is in the header (templates/admin/base_site.html): the sidebar took a
    # quarter of a laptop's width from the tables.
    enable_nav_sidebar = False

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self._actions["delete_selected"] = delete_selected
        self._global_actions["delete_selected"] = delete_selected

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """The guide until the first tags are applied; then the library (the media list,
        as posters or a table as last chosen), as an *arr opens on its series."""
        from web.admin.first_run import current_step, first_run_steps  # built lazily (above)

        steps = first_run_steps()
        if steps is None and request.user.has_perm("scanner.view_media"):
            return HttpResponseRedirect(reverse("admin:scanner_media_changelist"))
        context = {**(extra_context or {}), "first_run": steps}
        if steps:
            context["first_run_current"] = current_step(steps)
        return super().index(request, context)

    def all_pages(self, request: HttpRequest) -> Any:
        """Every list a person may open (Django's index without the guide): after setup
        the home is the library, and the users, tokens and media servers are here."""
        return super().index(request, {"title": gettext("All pages")})

    def get_urls(self) -> list[URLResolver | URLPattern]:
        return [path("all/", self.admin_view(self.all_pages), name="all"), *super().get_urls()]

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        """Every admin page, its search (``?q=``) bounded before any query: a longer one
        leads back to the page without it, saying why (each word of it would be one more
        condition on every search field)."""
        protected: Callable[..., HttpResponse] = super().admin_view(view, cacheable)  # a view

        @wraps(protected)
        def bounded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from scanner.validators import MAX_SEARCH_LENGTH  # built lazily (above)

            if len(request.GET.get(SEARCH_VAR, "")) <= MAX_SEARCH_LENGTH:
                return protected(request, *args, **kwargs)
            messages.error(
                request,
                ngettext(
                    "Search for at most %(count)d character: nothing was searched.",
                    "Search for at most %(count)d characters: nothing was searched.",
                    MAX_SEARCH_LENGTH,
                )
                % {"count": MAX_SEARCH_LENGTH},
            )
            rest = request.GET.copy()
            del rest[SEARCH_VAR]
            query = rest.urlencode()
            return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))

        return bounded

    def get_app_list(
        self, request: HttpRequest, app_label: str | None = None
    ) -> list[dict[str, Any]]:
        app_list = without_internals(super().get_app_list(request, app_label))
        if app_label is not None:
            return app_list  # an app's own page lists its models in Django's order
        return group_for_home(app_list)


def without_internals(app_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scanner app with only what a person works with (an app left with no model
    is left out, as Django leaves out one with none permitted)."""
    shown = (*PRODUCT_MODELS, *USER_SETTINGS_MODELS)
    kept = []
    for app in app_list:
        if app["app_label"] == "scanner":
            models = [_named(m) for m in app["models"] if m["object_name"] in shown]
            app = {**app, "models": models}
        if app["models"]:
            kept.append(app)
    return kept


def _named(model: dict[str, Any]) -> dict[str, Any]:
    name = PAGE_NAMES.get(model["object_name"])
    return {**model, "name": name} if name else model


def group_for_home(app_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scanner app first (its product models in working order, and the dashboard),
    the other apps next (the feed tokens with the API tokens)."""
    scanner = next((app for app in app_list if app["app_label"] == "scanner"), None)
    if scanner is None:
        return app_list
    others = [app for app in app_list if app is not scanner]
    by_name = {model["object_name"]: model for model in scanner["models"]}
    product = []
    for name in PRODUCT_MODELS:
        if name in by_name:
            product.append(by_name[name])
        if name == CHANGES_AFTER and name in by_name:
            product.append(_changes_entry())
        if name == DASHBOARD_AFTER:
            product.append(_dashboard_entry())
    own = [by_name[name] for name in USER_SETTINGS_MODELS if name in by_name]
    if own:
        others = _with_own_settings(others, own, scanner)
    return [{**scanner, "models": product}, *others]


def _with_own_settings(
    others: list[dict[str, Any]], own: list[dict[str, Any]], scanner: dict[str, Any]
) -> list[dict[str, Any]]:
    accounts = next((app for app in others if app["app_label"] == "accounts"), None)
    if accounts is None:
        return [*others, {**scanner, "name": USER_SETTINGS_NAME, "models": own}]
    tokens = [model for model in accounts["models"] if model["object_name"] == "ApiToken"]
    rest = [model for model in accounts["models"] if model["object_name"] != "ApiToken"]
    joined = {**accounts, "name": USER_SETTINGS_NAME, "models": [*tokens, *own, *rest]}
    return [joined if app is accounts else app for app in others]


def _dashboard_entry() -> dict[str, Any]:
    """The dashboard as a row of the app list: a view, nothing to add."""
    return {
        "model": None,
        "name": gettext("Dashboard"),
        "object_name": "Dashboard",
        "perms": {"add": False, "change": False, "delete": False, "view": True},
        "admin_url": reverse("taggarr-dashboard"),
        "add_url": None,
        "view_only": True,
    }


def _changes_entry() -> dict[str, Any]:
    """Every act's changes as a row of the app list: a view, nothing to add."""
    return {
        "model": None,
        "name": gettext("Changes"),
        "object_name": "Changes",
        "perms": {"add": False, "change": False, "delete": False, "view": True},
        "admin_url": reverse("taggarr-changes"),
        "add_url": None,
        "view_only": True,
    }


class TaggarrAdminConfig(SimpleAdminConfig):
    """``django.contrib.admin`` with Taggarr's site as ``admin.site``; modules are still
    registered when the URLs load (taggarr/urls.py), as with SimpleAdminConfig."""

    default_site = "web.admin_site.TaggarrAdminSite"
