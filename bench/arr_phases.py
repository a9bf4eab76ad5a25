"""The *arr's media info as the audio source (issue "No mount needed"):

* ``arr``: the instances' root folders are on the share (or, without one, in a folder
  that does not exist); a first scan and a rescan with nothing changed, inline, must
  open no file or folder (the share counts its calls) and the rescan must send no
  ``episodefile`` request; then webhooks whose bodies carry the file's media info.
* ``hybrid``: the same library with 1 % of the files' *arr media info dropped in the
  fakes; a first scan must read exactly the files in doubt (bench/expect.py).

The fakes are loaded again from the disk first: files changed by earlier phases are
then what the *arrs know, as after their imports.
"""

from __future__ import annotations

from collections.abc import Collection

from bench.arr_data import all_episode_files, arr_items, choose_dropped
from bench.changes import flip_episode
from bench.expect import ARR, HYBRID, Expectation, FileKey, arr_in_doubt, item_layouts
from bench.phases import API_KEY, Phase
from bench.results import EPISODE_FILES
from bench.scans import Context, ScanFigure, create_instances, migrate, scan, tag_mismatches
from bench.webhook_latency import Webhooks, measure_webhooks
from bench.workers import celery_worker, web_server
from tests.media import MediaFactory

DROP_SHARE = 0.01


def load_arr_data(context: Context, dropped: Collection[FileKey] = ()) -> None:
    """The fakes untagged, with what they know of the files on disk now."""
    manifest = context.manifest
    for app, fake in context.fakes.items():
        files = all_episode_files(manifest, dropped) if app == "sonarr" else None
        fake.reset_library(arr_items(manifest, app, dropped), files)


def no_open_problems(figure: ScanFigure) -> list[str]:
    """An ``arr`` scan opens nothing and stores every file from the *arr's media info."""
    found = []
    if figure.calls is not None and figure.opened:
        calls = ", ".join(f"{kind} {n}" for kind, n in sorted(figure.calls.items()))
        found.append(f"{figure.label}: opened {figure.opened} files or folders ({calls})")
    read = {source: n for source, n in figure.sources.items() if source != "arr"}
    if read:
        found.append(f"{figure.label}: files stored from another source than the *arr: {read}")
    return found


def proof_of_no_open(context: Context) -> str:
    if context.share is not None:
        return f"the share's open() and opendir() calls, root folders on {context.share.mountpoint}"
    return f"root folders in {context.instance_root}, which does not exist: nothing to open"


def arr_phase(context: Context, phase: Phase) -> None:
    context.expect = Expectation(ARR)
    load_arr_data(context)
    migrate(context)
    tokens = create_instances(context, API_KEY)
    results = phase.results
    results.notes["arr"] = proof_of_no_open(context)
    for kind in ("first", "rescan"):
        phase.log(f"arr source: {kind} scan --inline")
        figure = scan(context, f"arr {kind}", inline=True, expected_probes=[])
        results.scans[figure.label] = figure
        results.problems += no_open_problems(figure)
    requests = results.scans["arr rescan"].route("sonarr", *EPISODE_FILES)
    if requests:
        results.problems.append(f"arr rescan: {requests} episodefile requests, expected 0")
    if phase.webhooks:
        arr_webhooks(context, phase, tokens["sonarr"])


def arr_webhooks(context: Context, phase: Phase, token: str) -> None:
    factory = MediaFactory(context.manifest.root / "templates")
    with celery_worker(context, "worker-arr") as rss, web_server(context, "web-arr") as url:
        phase.results.rss.extend(rss)
        phase.log(f"{phase.webhooks} webhooks, one at a time (arr source)")
        hooks = Webhooks(
            context.manifest, context.fakes["sonarr"], url, token,
            change=lambda manifest, item: flip_episode(manifest, item, factory),
            expect=context.expect, share=context.share,
        )  # fmt: skip
        result = measure_webhooks(hooks, count=phase.webhooks)
    phase.results.webhooks["arr"] = result
    phase.results.problems += [f"arr webhooks: {failure}" for failure in result.failures]
    if result.opened:
        phase.results.problems.append(f"arr webhooks: opened {result.opened} files or folders")
    mismatches = tag_mismatches(context)
    phase.results.problems += [f"after the arr webhooks: {m}" for m in mismatches]


def hybrid_phase(context: Context, phase: Phase) -> None:
    manifest = context.manifest
    dropped = choose_dropped(manifest, DROP_SHARE, seed=3)
    context.expect = Expectation(HYBRID, dropped)
    load_arr_data(context, dropped)
    migrate(context)
    create_instances(context, API_KEY)
    expected = context.expect.first_scan_reads(manifest, context.instance_root)
    untagged = sum(
        arr_in_doubt(layout) and (item.app, item.arr_id, name) not in dropped
        for item in manifest.items
        for name, layout in zip(item.files, item_layouts(item), strict=True)
    )
    phase.results.notes["hybrid"] = (
        f"the {len(dropped)} without *arr media info + {untagged} with untagged streams"
    )
    phase.log(f"hybrid source: first scan --inline, {len(dropped)} files without media info")
    phase.results.scans["hybrid first"] = scan(
        context, "hybrid first", inline=True, expected_probes=expected
    )
