"""The docs' Bazarr post-processing command (docs/webhooks.md, once the README's), run as
Bazarr runs it: the path of the video arrives at ``POST /api/rescan/`` as it is, however
nasty its name.

Two steps, each with the other program's own rule. First the README's line is expanded
as Bazarr expands it and run by ``/bin/sh -c`` (Bazarr's ``shell=True``) with a
recording ``curl`` first on PATH; the test checks the argv the shell gave curl. Then
that argv is turned into the request curl sends (its ``--data-urlencode`` rule) and
sent to the endpoint (Django's test client).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from scanner.models import ScanRun
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the work is sent on commit

PAGE = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"  # once README.md's

# Bazarr's _escape (morpheus65535/bazarr bazarr/utilities/post_processing.py): each of
# these characters becomes the text on the right (raw strings, as in its source), and
# the value is wrapped in double quotes. `$` and backquotes are not escaped.
_BAZARR_ESCAPES = {
    "\b": r"\\b", "\a": r"\\a", "\f": r"\\f", "\n": r"\\n", "\r": r"\\r",
    "\t": r"\\t", "\v": r"\\v", '"': r"\"", "\\": r"\\",
}  # fmt: skip


def bazarr_expand(command: str, episode: str) -> str:
    """The command as Bazarr's ``pp_replace`` leaves it for the video ``episode``: each
    ``{{episode}}`` with one optional quote on either side swallowed, replaced by the
    escaped, double-quoted value, through ``re.sub`` with that value as the replacement
    template (so ``re`` reads its backslashes once more, as in Bazarr). Only
    ``{{episode}}`` and ``{{directory}}`` are restated: the README uses no other."""
    escaped = '"' + "".join(_BAZARR_ESCAPES.get(c, c) for c in episode) + '"'
    folder = os.path.dirname(episode)
    escaped_folder = '"' + "".join(_BAZARR_ESCAPES.get(c, c) for c in folder) + '"'
    command = re.sub(r"[\'\"]?{{directory}}[\'\"]?", escaped_folder, command)
    return re.sub(r"[\'\"]?{{episode}}[\'\"]?", escaped, command)


def readme_bazarr_command() -> str:
    """The one line the docs (docs/webhooks.md, "Rescan by path") say to enter in Bazarr's
    Custom Post-Processing."""
    section = PAGE.read_text(encoding="utf-8").split("## Rescan by path", 1)[1]
    section = section.split("\n## ", 1)[0]
    after = section.split("*Custom Post-Processing*", 1)[1]
    block = re.search(r"```sh\n(.*?)\n```", after, re.DOTALL)
    assert block is not None, "the README's Bazarr command block is gone"
    (line,) = block.group(1).splitlines()
    return line


def curl_form_value(argument: str) -> str:
    """What curl posts for ``--data-urlencode ARG`` (curl/curl src/tool_getparam.c,
    data_urlencode; docs/cmdline-opts/data-urlencode.md): the name up to the first
    ``=`` (else the first ``@``, a file: not used here) as given, then ``=`` and the
    content escaped by curl_easy_escape (every byte but ``A-Za-z0-9-._~`` as ``%XX``),
    with ``%20`` turned into ``+``."""
    name, equals, content = argument.partition("=")
    assert equals, f"--data-urlencode {argument!r}: not the name=content form"
    assert "@" not in name, f"--data-urlencode {argument!r}: reads a file"
    escaped = quote(os.fsencode(content), safe="-._~").replace("%20", "+")
    return f"{name}={escaped}" if name else escaped


def curl_request(argv: list[str]) -> tuple[str, str, dict[str, str], str]:
    """(method, URL, headers, body) of the curl options the README uses; any other
    option fails the test (so the README cannot use one this test does not read)."""
    method, url, headers, data = "GET", "", {}, []
    args = iter(argv)
    for arg in args:
        if arg in ("-H", "--header"):
            name, _, value = next(args).partition(":")
            headers[name.strip()] = value.strip()
        elif arg in ("-X", "--request"):
            method = next(args)
        elif arg == "--data-urlencode":
            data.append(curl_form_value(next(args)))
            method = "POST" if method == "GET" else method
        elif arg.startswith("-"):
            assert re.fullmatch(r"-[fsS]+", arg), f"curl option {arg!r} not understood here"
        else:
            url = arg
    return method, url, headers, "&".join(data)


@pytest.fixture
def recording_curl(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A ``curl`` first on PATH that writes its arguments to a file: the environment
    to run the command in and that file."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "argv.json"
    curl = folder / "curl"
    curl.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"open({str(record)!r}, 'w', encoding='utf-8', errors='surrogateescape')"
        ".write(json.dumps(sys.argv[1:], ensure_ascii=False))\n",
        encoding="utf-8",
    )
    curl.chmod(curl.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}
    return env, record


NASTY_SHOWS = [
    "Grey's Anatomy (2005)",  # an apostrophe: the old command's JSON could not hold it
    "Marvel's Agents of S.H.I.E.L.D. [tvdb-263365]",
    'The "Office" & Friends; *Really?* | <Yes>',
    "Ça va ~ #1 100% (ok) = !fine @home, +more {x}",
    "Cost $ 5",  # a `$` the shell leaves alone (a space follows it)
    "  two  spaces  ",
]


@pytest.mark.parametrize("show", NASTY_SHOWS)
def test_the_readme_command_as_bazarr_runs_it_sends_the_path_intact(
    show: str, recording_curl: tuple[dict[str, str], Path], token_key: str, sent_work
) -> None:
    folder = f"/data/tv/{show}"
    episode = f"{folder}/Season 01/{show} - S01E01 - It's [Bluray-1080p].mkv"
    instance = InstanceFactory(name="tv", first_scan_at=timezone.now())
    MediaFactory(instance=instance, title="Other", path="/data/tv/Other", arr_id=8)
    MediaFactory(instance=instance, title=show, path=folder, arr_id=7)

    command = readme_bazarr_command().replace("tgr_...", token_key)
    env, record = recording_curl
    # Bazarr: subprocess.Popen(command, shell=True), i.e. /bin/sh -c (bazarr/subtitles/
    # post_processing.py); /bin/sh is dash on Debian, ash in Bazarr's Alpine images.
    ran = subprocess.run(
        ["/bin/sh", "-c", bazarr_expand(command, episode)],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    argv = json.loads(record.read_text(encoding="utf-8"))
    assert f"path={episode}" in argv  # the shell handed curl the path as it is

    method, url, headers, body = curl_request(argv)
    response = Client().generic(
        method,
        urlsplit(url).path,
        body,
        content_type="application/x-www-form-urlencoded",  # curl's default for -d
        headers=headers,
    )
    assert response.status_code == 202, response.content
    run = ScanRun.objects.get()
    assert response.json() == [{"item": show, "instance": "tv", "scan": run.pk}]
    assert run.scope == [7]


def test_the_old_json_command_never_ran_under_bazarr() -> None:
    """Why the README changed: ``-d "{\\"path\\": \\"{{episode}}\\"}"`` lost a quote on
    each side of ``{{episode}}`` to Bazarr's expansion, leaving an unterminated quote
    for any path (a syntax error before curl ever runs)."""
    old = (
        'curl -fsS -X POST http://taggarr:8000/api/rescan/ -H "Content-Type: application/json"'
        ' -d "{\\"path\\": \\"{{episode}}\\"}"'
    )
    ran = subprocess.run(
        ["/bin/sh", "-n", "-c", bazarr_expand(old, "/tv/Show/Season 01/Show - S01E01.mkv")],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert ran.returncode != 0
