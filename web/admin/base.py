from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst

from web.admin.model_words import OwnWords

# The admins' mixins are ModelAdmins to the checker (their super() calls and self.model
# typed), plain classes at run time: ModelAdmin is generic only in django-stubs.
if TYPE_CHECKING:
    AdminMixin = admin.ModelAdmin[Any]
else:
    AdminMixin = object

# The admin's scripts for a form's prepopulated fields (a slug typed from a title): 160 KB
# of xregexp that a page without such a field only waits for.
PREPOPULATE = ("admin/js/urlify.js", "admin/js/prepopulate.js", "admin/js/vendor/xregexp/")


def _scripts(media: forms.Media) -> list[Any]:
    """A Media's scripts in order, paths or forms.Script: Django's merged list,
    ``Media._js``, private and so left out of django-stubs."""
    scripts: list[Any] = media._js  # type: ignore[attr-defined]
    return scripts


class PlainTitles(OwnWords):
    """A list page titled by what it lists ("Scans"), not "Select scan to change"; a form
    titled by its own sentence ("New instance") or by what it shows ("Instance"), not
    Django's "Add %s" / "Change %s", which French cannot elide ("Ajout de instance");
    its rows added, changed and deleted said in its own words (web.admin.model_words)."""

    add_title: Any = None  # a lazy sentence: "New instance"
    list_title: Any = None  # the list's own name where the header names it so ("Library")

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        name = capfirst(self.model._meta.verbose_name)
        title = self.add_title or name if object_id is None else name
        context = {"title": title, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        plural = self.model._meta.verbose_name_plural
        # capfirst, not str.capitalize: a title's other capitals are the translator's
        # ("Synchron-Badges"), never lowered.
        title = capfirst(str(getattr(self, "list_title", None) or plural))
        context = {"title": title, **(extra_context or {})}
        return super().changelist_view(request, context)


# ModelAdmin is generic only in django-stubs: subscripting it at run time needs
# django_stubs_ext.monkeypatch(), which the product does not install (scanner/fields.py).
class ReadOnlyAdmin(PlainTitles, admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows written by scans: viewable (and deletable), never added or edited by hand."""

    show_full_result_count = False  # one COUNT less per list page on big tables

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @property
    def media(self) -> forms.Media:
        """The admin's scripts without the prepopulating ones: nothing here is typed in."""
        kept = [path for path in _scripts(super().media) if not str(path).startswith(PREPOPULATE)]
        return forms.Media(js=kept)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        """The list's scripts deferred (run in order once the page is parsed, as jQuery, its
        init and the actions expect), so that the rows show before the scripts load. Not
        on a change form: Django's prepopulate_init.js there needs jQuery as it is read."""
        paths = [getattr(path, "_path", path) for path in _scripts(self.media)]
        # Any: django-stubs types ``js=`` as paths only; Django takes Script objects too.
        scripts: list[Any] = [forms.Script(path, defer=True) for path in paths]
        deferred = forms.Media(js=scripts)
        return super().changelist_view(request, {"media": deferred, **(extra_context or {})})
