"""A new instance in four steps, as its form and page show them: connect (the URL and
the key), test (in the form, before saving), choose the root folders and the target
languages, then the first dry run. The settings most people keep as they are start
folded, so that the form is the steps and not nine sections (a folded section with an
error opens: Django's Fieldset.is_collapsible)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scanner.engine.target_aliases import typed_target
from scanner.language_names import readers_locale
from scanner.models import Instance
from scanner.models.instance_option_list import PER_LANGUAGE

# Sections folded (their defaults suit most libraries); compared in the reader's
# language, as the fieldsets name them (web/admin/instances.py).
FOLDED = (
    _("Per-language and subtitle tags"), _("What counts"), _("Writing"), _("Schedule"),
    _("Search for missing dubs"),
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    state: str  # "done", "current" or ""


# Two or more targets: what a household with two languages needs is the answer per
# language, which one tag per item cannot give.
SUGGEST_PER_LANGUAGE = _(
    "Two or more target languages: turn on per-language tags to see for each item which "
    "of them it has (dub-de, semi-dub-fr)."
)


def suggests_per_language(targets: list[str], language_tags: bool) -> bool:
    """Whether the form offers per-language tags: two targets or more, and they are off."""
    distinct = {typed_target(target, readers_locale()) or target.casefold() for target in targets}
    return len(distinct) >= 2 and not language_tags


def fold_rarely_changed(fieldsets: Any, *, suggest_per_language: bool = False) -> tuple[Any, ...]:
    """The sections past the steps folded (a <details> each); the per-language section
    open, saying why, when it is suggested (its notice is there hidden otherwise, for
    instance-form.js to show when two targets are chosen)."""
    folded = []
    for name, options in fieldsets:
        if name == PER_LANGUAGE.title:
            options = {**options, "description": _with_suggestion(
                options.get("description", ""), shown=suggest_per_language)}  # fmt: skip
            if suggest_per_language:
                folded.append((name, options))
                continue
        if name in FOLDED:
            classes = (*options.get("classes", ()), "collapse")
            options = {**options, "classes": classes}
        folded.append((name, options))
    return tuple(folded)


def _with_suggestion(description: Any, *, shown: bool) -> str:
    hidden = "" if shown else " hidden"
    notice = f'<p class="taggarr-notice" id="per-language-suggestion"{hidden}>{{}}</p>'
    return format_html("{}" + notice, description, SUGGEST_PER_LANGUAGE)


def setup_steps(
    instance: Instance | None, connection: dict[str, Any] | None, *, kind: str = ""
) -> list[Step]:
    """The four steps and where the instance is; [] once its first scan started. A
    library folder (``kind``, else the instance's) has no *arr to connect to: its three
    steps are its folders and languages, its test (of its folders, once saved), its
    first dry run."""
    if instance is not None and not instance.waits_for_first_scan:
        return []
    saved = instance is not None
    tested = connection is not None and connection["ok"]
    if (kind or (instance.kind if instance is not None else "")) == Instance.Kind.LIBRARY:
        return _library_steps(saved=saved, tested=tested)
    states = {
        "connect": "done" if saved else "current",
        "test": "done" if tested else ("current" if saved else ""),
        "choose": "done" if saved else "",
        "dry_run": "current" if saved and tested else "",
    }
    return [
        Step(gettext("Connect"), gettext("The *arr's URL and API key."), states["connect"]),
        Step(
            gettext("Test"),
            gettext("Test the connection: the form asks the *arr before saving."),
            states["test"],
        ),
        Step(
            gettext("Choose"),
            gettext("Root folders and target languages, picked from what the *arr offers."),
            states["choose"],
        ),
        Step(
            gettext("First dry run"),
            gettext("Plans every tag for review; writes nothing."),
            states["dry_run"],
        ),
    ]


def _library_steps(*, saved: bool, tested: bool) -> list[Step]:
    return [
        Step(
            gettext("Choose"),
            gettext("The library's root folders and its target languages."),
            "done" if saved else "current",
        ),
        Step(
            gettext("Test"),
            gettext("Once saved, Test connection on its page checks that its folders can be read."),
            "done" if tested else ("current" if saved else ""),
        ),
        Step(
            gettext("First dry run"),
            gettext("Plans every tag for review; writes nothing."),
            "current" if saved and tested else "",
        ),
    ]


def next_step(
    instance: Instance, connection: dict[str, Any] | None, *, decided_again: bool = False
) -> dict[str, Any]:
    """The instance page's primary action, and whether scans are offered at all: not
    while the last connection test failed; a new instance is tested, then dry-run, and so
    is one whose tag settings changed since its last scan."""
    if connection is not None and not connection["ok"]:
        return {"primary": "test", "offer_scans": False}
    if decided_again:
        return {"primary": "dry_run", "offer_scans": True}
    if instance.waits_for_first_scan:
        return {"primary": "dry_run" if connection else "test", "offer_scans": True}
    return {"primary": "scan", "offer_scans": True}
