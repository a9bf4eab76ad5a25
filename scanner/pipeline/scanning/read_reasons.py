"""Why a run read the files it read beyond the changed ones (issue 68): a file read to
learn a variety the *arr's media info never names (hybrid: a regional target's, or
a household member's), one the files source read
because it was judged before from the *arr's word alone. Counted from the files' rows
as the run's apply step ends (their source note, read during the run), kept in its
summary, told by the run page (scanner.reports.progress)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from scanner.engine.arr_tracks import DoubtCode
from scanner.models import MediaFile, ScanRun

# The notes counted: reads a change of settings or of the audio source brings, where
# the file itself did not change.
COUNTED = (DoubtCode.VARIETY_UNKNOWN, DoubtCode.VARIETY_FOR_PERSON, DoubtCode.ARR_WORD_ONLY)


def read_reasons(run: ScanRun) -> dict[str, int]:
    """Per counted note, the files this run read with it (none: empty)."""
    if run.planned_at is None:
        return {}
    if not ScanRun.objects.filter(pk=run.pk, files_probed__gt=0).exists():
        return {}  # nothing read: no query over the files
    rows = MediaFile.objects.filter(
        media__instance_id=run.instance_id,
        source_note__in=[str(code) for code in COUNTED],
        probed_at__gte=run.planned_at,
        probed_at__lte=timezone.now(),
    )
    counts = rows.values_list("source_note").annotate(n=Count("pk")).order_by()
    return {note: n for note, n in counts}
