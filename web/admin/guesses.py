"""The review list: the items whose verdict rests on a guess (scanner.engine.guesses),
each with why and the decisions a person takes in one click: confirm the guesses, set the
original language, say what the item's tracks without a language are, or which variety
its tracks of unknown variety are (scanner.actions.settled_varieties: "is Canadian
French" / "is not"; the item's regional targets stay). The overrides made so are listed
too, to take back. Also the media list's action "Confirm the guesses".
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from scanner import validators
from scanner.actions.original_language import set_original_override
from scanner.actions.review import confirm_guesses, set_unknown_language
from scanner.actions.settled_varieties import clean_settlements, settle_varieties
from scanner.language_names import language_label
from scanner.models import Event, Media
from scanner.reports.review_text import review_sentence
from web.admin.media_page import settle_rows
from web.admin.write_now import write_now

PER_PAGE = 50


@admin.action(
    description=_("Confirm the guesses (out of the review list)"), permissions=["override"]
)
def confirm_selected_guesses(
    model_admin: admin.ModelAdmin[Media], request: HttpRequest, queryset: QuerySet[Media]
) -> None:
    items = list(queryset.filter(Media.NEEDS_REVIEW).select_related("instance"))
    for media in items:
        confirm_guesses(media, user=request.user.get_username(), via=Event.Via.ADMIN)
    count = len(items)
    text = ngettext(
        "Guesses confirmed for %(count)d item.", "Guesses confirmed for %(count)d items.", count
    )
    model_admin.message_user(request, text % {"count": count})


@require_http_methods(["GET", "POST"])
def guesses_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _decide(request)
    if not (
        request.user.has_perm("scanner.view_media") or request.user.has_perm("scanner.change_media")
    ):
        raise PermissionDenied
    waiting = Media.objects.filter(Media.NEEDS_REVIEW).select_related("instance")
    page = Paginator(waiting.order_by("title", "pk"), PER_PAGE).get_page(request.GET.get("p"))
    overrides = Media.objects.exclude(unknown_language="").select_related("instance")
    context = {
        **admin.site.each_context(request),
        "title": gettext("Review what is guessed"),
        "page": page,
        "rows": [_row(media) for media in page.object_list],
        "overrides": [
            {"media": media, "language": language_label(media.unknown_language)}
            for media in overrides.order_by("title", "pk")[:PER_PAGE]
        ],
        "can_decide": request.user.has_perm("scanner.change_media"),
    }
    return TemplateResponse(request, "admin/taggarr_guesses.html", context)


def _row(media: Media) -> dict[str, object]:
    # What the tracks without a language most likely are: what every file starts with,
    # or what the rules took them for (the original).
    likely = media.original_suggestion or media.effective_original
    return {
        "media": media,
        "reasons": [
            {**reason, "reason": review_sentence(reason)}
            for reason in media.review_reasons or []
            if isinstance(reason, dict)
        ],
        "suggestion": media.original_suggestion if media.original_doubtful else "",
        "suggestion_label": language_label(media.original_suggestion)
        if media.original_suggestion
        else "",
        "unknown_guess": likely,
        # Which variety the tracks of unknown variety are: asked instead of the original.
        "settle": [row for row in settle_rows(media) if not row["settled"]],
    }


def _decide(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("scanner.change_media"):
        raise PermissionDenied
    raw = request.POST.get("media", "")
    media = get_object_or_404(
        Media.objects.select_related("instance"), pk=raw if raw.isdigit() else 0
    )
    user, decision = request.user.get_username(), request.POST.get("decision", "")
    back = reverse("taggarr-guesses") + (
        f"?p={request.GET['p']}" if request.GET.get("p", "").isdigit() else ""
    )
    if request.POST.get("back") == "item":  # decided on the item's page: back to it
        back = reverse("admin:scanner_media_change", args=[media.pk])
    try:
        language = validators.clean_language(request.POST.get("language", "").strip())
    except ValidationError as exc:
        _refused(request, media, exc)
        return HttpResponseRedirect(back)
    if decision == "confirm":
        confirm_guesses(media, user=user, via=Event.Via.ADMIN)
        messages.success(
            request, gettext("%(title)s: the guesses are confirmed.") % {"title": media.title}
        )
    elif decision == "variety":
        return _settle(request, media, back)
    elif decision in ("original", "unknown"):
        decide = set_original_override if decision == "original" else set_unknown_language
        before = (media.original_override, media.unknown_language)
        decide(media, language, user=user, via=Event.Via.ADMIN)
        messages.success(
            request,
            gettext("%(title)s: saved; its tag was decided again.") % {"title": media.title},
        )
        if (media.original_override, media.unknown_language) != before:
            write_now(request, media)
    else:
        messages.error(request, gettext("Unknown decision."))
    return HttpResponseRedirect(back)


def _refused(request: HttpRequest, media: Media, exc: ValidationError) -> None:
    """Each reason a message of its own, with the item's title (issue 71: sentences are
    never joined into one)."""
    for reason in exc.messages:
        messages.error(
            request, gettext("%(title)s: %(reasons)s") % {"title": media.title, "reasons": reason}
        )


def _settle(request: HttpRequest, media: Media, back: str) -> HttpResponse:
    """Its tracks of unknown variety of one language are one of its regional targets, or
    none of them: the targets stay, the tag is decided again."""
    given = {request.POST.get("language", ""): request.POST.get("variety", "")}
    try:
        changes = clean_settlements(media.instance, given, media)
    except ValidationError as exc:
        _refused(request, media, exc)
        return HttpResponseRedirect(back)
    changed = settle_varieties(
        media, changes, user=request.user.get_username(), via=Event.Via.ADMIN
    )
    messages.success(
        request, gettext("%(title)s: saved; its tag was decided again.") % {"title": media.title}
    )
    if changed:
        write_now(request, media)
    return HttpResponseRedirect(back)
