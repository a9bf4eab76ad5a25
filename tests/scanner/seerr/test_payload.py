"""A Seerr webhook body read as the agent renders it (server/lib/notifications/agents/
webhook.ts): ids as strings, "" for a missing value, objects null when absent."""

from __future__ import annotations

import pytest

from scanner.seerr.payload import BadPayload, Notice, read_notice


def test_the_strings_of_the_template_are_read_as_ids() -> None:
    notice = read_notice(
        {
            "notification_type": "ISSUE_CREATED",
            "media": {"media_type": "tv", "tmdbId": "1399", "tvdbId": "121361", "status": ""},
            "request": None,
            "issue": {"issue_id": "12", "issue_type": "AUDIO", "reportedBy_email": "A@B.org"},
            "comment": None,
        }
    )
    assert notice == Notice(
        "ISSUE_CREATED", media_type="tv", tmdb_id=1399, tvdb_id=121361, issue_id=12,
        issue_type="AUDIO", reported_by="a@b.org",
    )  # fmt: skip
    assert notice.asker == "a@b.org"


def test_a_type_not_acted_on_needs_nothing_more() -> None:
    assert read_notice({"notification_type": "MEDIA_DECLINED"}) == Notice("MEDIA_DECLINED")
    assert read_notice({"notification_type": "SOMETHING_NEW"}) == Notice("SOMETHING_NEW")


@pytest.mark.parametrize(
    ("media", "error"),
    [
        ({"media_type": "movie", "tmdbId": "0"}, "media.tmdbId must be a whole number from 1"),
        ({"media_type": "movie", "tmdbId": "99999999999"}, "must be a whole number from 1"),
        ({"media_type": "movie", "tmdbId": True}, "must be a whole number from 1"),
        ({"media_type": "music", "tmdbId": "1"}, 'media.media_type must be "movie" or "tv"'),
        ({"media_type": "movie", "tmdbId": ""}, "media.tmdbId or media.tvdbId is needed"),
        # Digits of other scripts: Python's str.isdigit() and int() take them (Arabic-Indic
        # "303" is 303; "²" passes isdigit and int() raises), the agent never renders them
        # (webhook.ts: String(number)).
        (
            {"media_type": "movie", "tmdbId": "\u0663\u0660\u0663"},
            "media.tmdbId must be written with the digits 0-9",
        ),
        (
            {"media_type": "movie", "tmdbId": "\uff13\uff10\uff13"},
            "must be written with the digits 0-9 only",
        ),
        ({"media_type": "movie", "tmdbId": "\u00b2"}, "must be written with the digits 0-9 only"),
    ],
)
def test_bad_media_is_named(media: dict[str, object], error: str) -> None:
    body = {
        "notification_type": "MEDIA_AVAILABLE",
        "media": media,
        "request": {"requestedBy_email": "a@b.org"},
    }
    with pytest.raises(BadPayload, match=error):
        read_notice(body)


def test_an_asker_is_any_name_seerr_holds_within_its_bound() -> None:
    """Jellyseerr's import from Jellyfin stores the Jellyfin user's name as their
    ``email`` (server/routes/user/index.ts): "Maria" arrives as Seerr stores it,
    lower-cased (User.ts' transformer). Only its length is bounded."""
    body = {
        "notification_type": "MEDIA_APPROVED",
        "media": {"media_type": "movie", "tmdbId": "603"},
        "request": {"request_id": "3", "requestedBy_email": "Maria"},
    }
    assert read_notice(body).asker == "maria"
    body["request"] = {"request_id": "3", "requestedBy_email": "m" * 255}
    with pytest.raises(BadPayload, match=r"request\.requestedBy_email must be at most 254"):
        read_notice(body)
