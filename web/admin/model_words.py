"""What the admin says of one row of a page people use (the list's "Add" button, a row
added, changed or deleted, the question before a deletion), a sentence per model.

Django's admin puts the model's name into one sentence for every model ("The {name}
“{obj}” was added successfully.", django/contrib/admin/options.py, response_add): a
language whose article and participle agree with the noun cannot translate it ("El
persona … fue agregado", "Ajouter personne"). Each sentence here names its noun, so its
translation writes the article and the participle the noun takes; locale/glossary.toml
declares each noun's gender per language ([[gender]]), which
tests/web/admin/test_model_words.py checks the catalogs against. A model not listed
keeps Django's sentences.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as urlquote

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from web.labelled import label_value_html

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Sentence

    AdminMixin = admin.ModelAdmin[Any]  # as web.admin.base's mixins
else:
    Sentence = Any
    AdminMixin = object

# The request's attribute that carries a success sentence to message_user, which Django's
# response_add, response_change and response_delete call with theirs.
SAID = "_taggarr_own_success_message"


@dataclass(frozen=True)
class ModelWords:
    """``{obj}`` stands for the row (a link to it where Django links it)."""

    deleted: Sentence
    delete_question: Sentence  # before the list of what goes with it
    add: Sentence | None = None  # None: no row is added by hand
    added: Sentence | None = None
    changed: Sentence | None = None


WORDS: dict[str, ModelWords] = {
    "scanner.instance": ModelWords(
        add=_("Add an instance"),
        added=_("The instance “{obj}” was added."),
        changed=_("The instance “{obj}” was changed."),
        deleted=_("The instance “{obj}” was deleted."),
        delete_question=_(
            "Delete the instance “{obj}”? Everything listed below is deleted with it:"
        ),
    ),
    "scanner.mediaserver": ModelWords(
        add=_("Add a media server"),
        added=_("The media server “{obj}” was added."),
        changed=_("The media server “{obj}” was changed."),
        deleted=_("The media server “{obj}” was deleted."),
        delete_question=_(
            "Delete the media server “{obj}”? Everything listed below is deleted with it:"
        ),
    ),
    "scanner.person": ModelWords(
        add=_("Add a person"),
        added=_("The person “{obj}” was added."),
        changed=_("The person “{obj}” was changed."),
        deleted=_("The person “{obj}” was deleted."),
        delete_question=_(
            "Delete the person “{obj}”? Everything listed below is deleted with them:"
        ),
    ),
    "scanner.seerrconnection": ModelWords(
        add=_("Add a Seerr connection"),
        added=_("The Seerr connection “{obj}” was added."),
        changed=_("The Seerr connection “{obj}” was changed."),
        deleted=_("The Seerr connection “{obj}” was deleted."),
        delete_question=_(
            "Delete the Seerr connection “{obj}”? Everything listed below is deleted with it:"
        ),
    ),
    "scanner.notifier": ModelWords(
        add=_("Add a notifier"),
        added=_("The notifier “{obj}” was added."),
        changed=_("The notifier “{obj}” was changed."),
        deleted=_("The notifier “{obj}” was deleted."),
        delete_question=_(
            "Delete the notifier “{obj}”? Everything listed below is deleted with it:"
        ),
    ),
    "scanner.media": ModelWords(
        deleted=_("The item “{obj}” was deleted."),
        delete_question=_("Delete the item “{obj}”? Everything listed below is deleted with it:"),
    ),
    "scanner.scanrun": ModelWords(
        deleted=_("The scan “{obj}” was deleted."),
        delete_question=_("Delete the scan “{obj}”? Everything listed below is deleted with it:"),
    ),
    "scanner.event": ModelWords(
        deleted=_("The event “{obj}” was deleted."),
        delete_question=_("Delete the event “{obj}”? Everything listed below is deleted with it:"),
    ),
}


def words_for(model: Any) -> ModelWords | None:
    return WORDS.get(model._meta.label_lower)


class OwnWords(AdminMixin):
    """A ModelAdmin that says its model's sentences where Django says its own."""

    delete_confirmation_template = "admin/taggarr_delete_confirmation.html"

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: str | None = None
    ) -> HttpResponse:
        with _saying(request, self._sentence("added"), self._linked(request, obj)):
            response: HttpResponse = super().response_add(request, obj, post_url_continue)
        return response

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        with _saying(request, self._sentence("changed"), self._linked(request, obj)):
            response: HttpResponse = super().response_change(request, obj)
        return response

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id: Any) -> HttpResponse:
        with _saying(request, self._sentence("deleted"), obj_display):
            response: HttpResponse = super().response_delete(request, obj_display, obj_id)
        return response

    def message_user(
        self,
        request: HttpRequest,
        message: Any,
        level: int | str = messages.INFO,
        extra_tags: str = "",
        fail_silently: bool = False,
    ) -> None:
        """Django's success sentence of a save or a deletion, said in the model's own."""
        if level == messages.SUCCESS:
            message = request.__dict__.pop(SAID, message)
        super().message_user(request, message, level, extra_tags, fail_silently)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The list's "Add" button (templates/admin/change_list_object_tools.html)."""
        context = {"add_label": self._sentence("add"), **(extra_context or {})}
        response: HttpResponse = super().changelist_view(request, context)
        return response

    def render_delete_form(self, request: HttpRequest, context: dict[str, Any]) -> Any:
        """The question before a deletion (templates/admin/taggarr_delete_confirmation.html)."""
        question = self._sentence("delete_question")
        if question is not None:
            context["delete_question"] = format_html(str(question), obj=context["object"])
        return super().render_delete_form(request, context)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """What goes with a deletion, each line "Person: Mamá" joined by the catalog's
        words (web.labelled: "Personne\u00a0: Mamá"), where Django joins the model's name
        and the row with a bare ": " (django/contrib/admin/utils.py, get_deleted_objects)."""
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        names = {str(capfirst(m._meta.verbose_name)) for m in apps.get_models()}
        return _relabelled(deleted, names), counts, perms, _relabelled(protected, names)

    def _sentence(self, kind: str) -> Sentence | None:
        words = words_for(self.model)
        return getattr(words, kind) if words is not None else None

    def _linked(self, request: HttpRequest, obj: Any) -> Any:
        """The row as Django's response_add names it: a link where it may be changed."""
        if not self.has_change_permission(request, obj):
            return str(obj)
        opts = obj._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(quote(obj.pk),),
            current_app=self.admin_site.name,
        )
        return format_html('<a href="{}">{}</a>', urlquote(url), obj)


@contextmanager
def _saying(request: HttpRequest, sentence: Sentence | None, obj: Any) -> Iterator[None]:
    """Within: Django's success message replaced by ``sentence`` (a popup's answer, or a
    save that says its own next step, says none: the sentence is dropped)."""
    if sentence is not None:
        setattr(request, SAID, format_html(str(sentence), obj=obj))
    try:
        yield
    finally:
        request.__dict__.pop(SAID, None)


def _relabelled(lines: Any, names: set[str]) -> Any:
    """Django's nested list of "Name: row" lines with each join the catalog's own."""
    if isinstance(lines, list):
        return [_relabelled(line, names) for line in lines]
    text = str(lines)
    name, colon, rest = text.partition(": ")
    if not colon or conditional_escape(name) not in {conditional_escape(n) for n in names}:
        return lines
    return label_value_html(mark_safe(name), mark_safe(rest))  # noqa: S308 (Django's own HTML)
