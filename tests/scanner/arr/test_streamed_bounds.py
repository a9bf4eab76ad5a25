"""An *arr's list is bounded per element, not as one answer (scanner.http.bounds,
scanner.arr.base.get_array): a list far past the whole answer's limit (64 MB on the
defaults) is read to its end through a real socket, the reader's memory does not grow
with the list (tracemalloc, never the clock), and a list that failed midway leaves
nothing of itself behind for the next try.

The servers' side: Sonarr's and Radarr's lists are one JSON array of every series or
movie (Sonarr/Sonarr src/Sonarr.Api.V3/Series/SeriesController.cs, ``AllSeries``;
Radarr/Radarr src/Radarr.Api.V3/Movies/MovieController.cs, ``AllMovie``), 4-8 KB an
item with seasons, images, ratings and alternate titles (issue 83). The retry's side:
tenacity drops a failed try's outcome before it sleeps (jd/tenacity
tenacity/__init__.py, ``RetryCallState.prepare_for_next_attempt``).
"""

from __future__ import annotations

import gc
import threading
import tracemalloc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fakes.hostile import HostileServer
from fakes.hostile.server import many_item, many_length
from scanner.arr import ArrClient, ArrConfig, ArrItem, make_client
from scanner.arr.checks import items_have_originals
from scanner.errors import ArrTransientError, ArrUnconfirmedError
from scanner.http.bounds import DEFAULT_ANSWER_MB, MB
from scanner.pipeline.retries import Budget, call_retried

KEY = "streamkey0123456789abcdef0123456"
PATH = "/api/v3/movie"


def _config(url: str) -> ArrConfig:
    """The defaults (64 MB, 30 s reads, a 300 s deadline), but the address and key."""
    return ArrConfig(name="big", kind="radarr", url=url, api_key=KEY)


def test_a_list_far_past_the_whole_answers_limit_is_read_to_its_end() -> None:
    """100,000 films of 1,000 bytes: 100 MB, a Content-Length past the 64 MB that used
    to refuse it before a byte was read ("answer larger than 64 MB"), made as it is
    sent (fakes.hostile, "many")."""
    count = 100_000
    assert many_length(count) > DEFAULT_ANSWER_MB * MB
    with (
        HostileServer(answers={PATH: "many"}, many_items=count) as radarr,
        make_client(_config(radarr.url)) as client,
    ):
        seen = last = 0
        for movie in client.get_array(PATH):
            seen += 1
            last = movie["id"]
    assert (seen, last) == (count, count)


def _peak_while_reading(count: int) -> int:
    """The peak of memory traced while the client reads a list of ``count`` films and
    keeps none of them."""
    with (
        HostileServer(answers={PATH: "many"}, many_items=count) as radarr,
        make_client(_config(radarr.url)) as client,
    ):
        tracemalloc.start()
        try:
            seen = sum(1 for _ in client.get_array(PATH))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert seen == count
    return peak


def test_reading_a_list_holds_as_much_for_40000_items_as_for_10000() -> None:
    """One element decoded at a time: four times the list (40 MB against 10 MB) moves
    the reader's peak by less than 256 KB (both peaks are a few hundred KB: buffers,
    one element, the connection)."""
    small = _peak_while_reading(10_000)
    large = _peak_while_reading(40_000)
    assert abs(large - small) < 256 * 1024, f"{small / 1024:.0f} KB, {large / 1024:.0f} KB"
    assert large < 4 * MB, f"{large / 1024:.0f} KB"


class _CutOnce(BaseHTTPRequestHandler):
    """The first answer: a Content-Length for ``items`` films, half of them, then the
    connection closed (urllib3: "Connection broken: IncompleteRead"); then whole."""

    items = 0
    answered = 0
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        type(self).answered += 1
        cut = type(self).answered == 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(many_length(self.items)))
        self.send_header("Connection", "close")
        self.end_headers()
        sent = self.items // 2 if cut else self.items
        self.wfile.write(b"[" + b",".join(many_item(n) for n in range(1, sent + 1)))
        if not cut:
            self.wfile.write(b"]")
        self.close_connection = True


@contextmanager
def _cut_once(items: int) -> Iterator[str]:
    handler = type("Handler", (_CutOnce,), {"items": items})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_list_cut_off_midway_leaves_nothing_behind_for_the_next_try() -> None:
    """The first try keeps 10,000 films (as list_items does) before the answer is cut off;
    the retry (scanner.pipeline.retries, as the inline runner's) starts with none of them
    alive: what its traceback's frames kept went with tenacity's outcome. One film in a
    thousand is watched (a weak reference: watching all would hold memory of its own)."""
    retried = Budget((ArrTransientError,), 600.0)
    held_at_start: list[int] = []
    watched: list[weakref.ref[ArrItem]] = []
    alive_at_start: list[int] = []
    errors: list[type[BaseException]] = []
    with _cut_once(20_000) as url:
        client = make_client(_config(url))

        def read() -> list[ArrItem]:
            gc.collect()
            alive_at_start.append(sum(ref() is not None for ref in watched))
            held_at_start.append(tracemalloc.get_traced_memory()[0])
            films: list[ArrItem] = []
            for film in client.iter_items():
                if len(films) % 1000 == 0:
                    watched.append(weakref.ref(film))
                films.append(film)
            return films

        def told(error: BaseException, wait: float) -> None:
            errors.append(type(error))  # the class only: the error itself is tenacity's

        tracemalloc.start()
        try:
            films = call_retried(read, lambda error: retried, sleep=lambda s: None,
                                 before_sleep=told)  # fmt: skip
            after, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            client.close()
    first, second = held_at_start
    # The second try began with none of the first try's films alive (10 were watched),
    # and holding about what the first began with (the server's thread, the pool and the
    # logging move it by a few hundred KB), where 20,000 films, held at the end, are
    # several MB.
    assert alive_at_start == [0, 0] and len(watched) == 10 + 20
    assert second - first < 1 * MB, f"{(second - first) / 1024:.0f} KB held"
    assert after - first > 2 * MB
    assert errors == [ArrUnconfirmedError] and len(films) == 20_000


def test_the_connection_tests_look_at_the_library_keeps_none_of_it() -> None:
    """The connection test (a web process) asks whether the items carry an original
    language (scanner.arr.checks): 20,000 films without one are read to the end, one at
    a time; kept, they would be several MB (the cut-off test above)."""
    with (
        HostileServer(answers={PATH: "many"}, many_items=20_000) as radarr,
        make_client(_config(radarr.url)) as client,
    ):
        assert isinstance(client, ArrClient)
        tracemalloc.start()
        try:
            found = items_have_originals(client)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert found is False
    assert peak < 2 * MB, f"{peak / 1024:.0f} KB"
