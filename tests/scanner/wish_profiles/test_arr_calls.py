"""The *arr's answers for one item's profile (scanner.wish_profiles.arr_calls): an editor
PUT whose answer never comes (the real editor saves, then its answer may outlast the read
timeout) is read back, and not sent again when it holds."""

from __future__ import annotations

from scanner.arr.clients import make_client
from scanner.arr.config import ArrConfig
from scanner.wish_profiles import arr_calls
from tests.helpers import ARR_KEY
from tests.scanner.wish_profiles.helpers import PROFILES, VFQ, fake_arr


def test_an_unanswered_put_that_was_saved_is_read_back_and_sent_once() -> None:
    with fake_arr("radarr", stall_editor_ids=frozenset({1})) as radarr:
        config = ArrConfig(
            name="movies", kind="radarr", url=radarr.url, api_key=ARR_KEY, editor_read_timeout=0.5
        )
        with make_client(config) as client:
            assert arr_calls.write_profile(client, 1, VFQ) == VFQ
            assert radarr.state.profile_edits(1) == [VFQ]
            assert arr_calls.profile_names(client) == PROFILES
