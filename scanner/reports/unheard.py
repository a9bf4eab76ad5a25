"""Listening that could not run, said once: "listening was on, but the speech model
could not be loaded: no network; 12 audio tracks not heard". The run counts the tracks
with why (ScanRun.tracks_unheard, .unheard_reason: a code a worker sent); the run page,
its summary, the API and the connection test word it from here."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from scanner.models import Instance, ScanRun
from scanner.models.choices import Unheard


def reason_text(reason: str) -> str:
    """The code's words in the reader's language (a code this version does not know: a
    plain "listening could not run")."""
    if reason in Unheard.values:
        return str(Unheard(reason).label)
    return gettext("listening could not run")


def unheard_text(run: ScanRun) -> str:
    """The run's one sentence about it; "" when every track it wanted could be heard."""
    if not run.tracks_unheard:
        return ""
    return ngettext(
        "listening was on, but %(why)s; %(count)d audio track not heard",
        "listening was on, but %(why)s; %(count)d audio tracks not heard",
        run.tracks_unheard,
    ) % {"why": reason_text(run.unheard_reason), "count": run.tracks_unheard}


def unheard_of(run: ScanRun) -> dict[str, object] | None:
    """For the API: the code, its words and the count (the sentence is in its summary
    lines, said once); None when nothing was left so."""
    if not run.tracks_unheard:
        return None
    return {
        "reason": run.unheard_reason,
        "reason_text": reason_text(run.unheard_reason),
        "tracks": run.tracks_unheard,
    }


def last_unheard(instance: Instance) -> ScanRun | None:
    """The instance's latest finished run that wanted tracks heard, when it could not
    hear some: what the workers found, whatever this web process could do. None when
    listening is off or that run heard them."""
    if instance.identify_audio_language == Instance.IdentifyAudioLanguage.OFF:
        return None
    latest = (
        ScanRun.objects.filter(instance=instance, tracks_to_hear__gt=0)
        .exclude(status__in=ScanRun.ACTIVE)
        .order_by("-created_at", "-id")
        .first()
    )
    return latest if latest is not None and latest.tracks_unheard else None
