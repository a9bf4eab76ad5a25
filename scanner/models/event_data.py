"""The codes an event's data keeps so that the pages can tell it in the reader's
language at display time (scanner.history.event_text): what its English ``message`` says, as
figures and codes, never as words. Declared once here for the writers and the reader."""

from __future__ import annotations

# NFO_ERROR's "problem"
NFO_MALFORMED = "malformed"  # the NFO is not well-formed XML: left untouched
NFO_UNWRITABLE = "unwritable"  # the NFO or its folder could not be written

# A CONFIG event of a scan that kept the items missing from the *arr's listing
# (too many to be believed): how many (its "known": of how many items).
ORPHANS_KEPT = "orphans_kept"

# WEBHOOK's "what"
WEBHOOK_TEST = "test"  # the *arr's test
WEBHOOK_QUEUED = "queued"  # a scan of an item queued ("event_type", "arr_id")
WEBHOOK_WAITING = "waiting"  # remembered: the instance waits for its first scan
WEBHOOK_TOO_MANY = "too_many"  # over the rate ("rate"): the whole library is scanned

# MEDIA_SERVER's "what"
SERVER_TAGS_NOT_WRITTEN = "tags_not_written"  # an item's tags ("title")
SERVER_NOT_REFRESHED = "not_refreshed"  # an item not refreshed ("title")
SERVER_ORIGINAL_NOT_SET = "original_not_set"  # an item's original language ("title")
SERVER_CONNECTION = "connection"  # the server's writes stopped ("problem")
SERVER_UNMATCHED = "unmatched"  # items not found on the server ("count")
# MEDIA_SERVER's "problem": why the server's writes stopped or an item's failed
SERVER_KEY = "key"  # the server refused the key or token
SERVER_UNREACHABLE = "unreachable"  # no answer, or a 5xx after the retries
SERVER_LIBRARY = "library"  # a library named in the settings is not on the server
SERVER_GONE = "gone"  # the item is gone from the server
SERVER_CONFIG = "config"  # a setting is invalid
SERVER_OTHER = "other"  # anything else the server answered
# ... or plex.tv's, where a Plex client asks for a person's token (TRACKS_SET's "problem")
PLEX_TV_KEY = "plex_tv_key"  # plex.tv refused the token the server accepts
PLEX_TV_UNREACHABLE = "plex_tv_unreachable"  # no answer, or a 5xx after the retries
PLEX_TV_OTHER = "plex_tv_other"  # anything else plex.tv answered

# Seerr (issue 72): an event's ``what`` (scanner.seerr.event_text tells each).
SEERR_TESTED = "seerr_tested"
SEERR_TEST_FAILED = "seerr_test_failed"
SEERR_NEW_TOKEN = "seerr_new_token"  # noqa: S105 - a new webhook token made (by "user")
SEERR_WANTED = "seerr_wanted"  # a request set the item's wanted languages
SEERR_WANTED_KEPT = "seerr_wanted_kept"  # a person had set them: kept
SEERR_WANTED_ISSUE = "seerr_wanted_issue"  # the same, asked by an Audio issue
SEERR_WANTED_KEPT_ISSUE = "seerr_wanted_kept_issue"
SEERR_PENDING = "seerr_pending"  # the item is not in Taggarr yet: kept for its first scan
SEERR_NO_PERSON = "seerr_no_person"  # the Seerr user is linked to no person
SEERR_SCAN = "seerr_scan"  # available: a scan of the item queued
SEERR_ISSUE_SCAN = "seerr_issue_scan"  # an Audio issue: the item's files read first
SEERR_COMMENTED = "seerr_commented"
SEERR_RESOLVED = "seerr_resolved"
SEERR_SEARCHED = "seerr_searched"
SEERR_FAILED = "seerr_failed"  # Seerr did not take a comment
SEERR_OPENED_BY_KEY = "seerr_opened_by_key"  # the asker may not report issues: the key's user did
SEERR_GAVE_UP = "seerr_gave_up"  # Seerr refused an ask's answer again and again: not tried again
SEERR_NOT_SERVED = "seerr_not_served"  # the item is another instance's than the connection's

# DEFAULT_TRACK's "what" (issue 81: scanner.default_tracks; its event_text
# tells each): a file's default flags written, undone, or written and undone at once
# because MediaInfo read the file otherwise ("refusal": why, scanner.default_tracks.refusals).
DEFAULT_TRACK_WRITTEN = "written"
DEFAULT_TRACK_UNDONE = "undone"
DEFAULT_TRACK_FAILED = "failed"

# PROFILE's "what" (issue 82: scanner.wish_profiles; its event_text tells
# each): an item's quality profile written, undone, not written ("refusal": why,
# scanner.wish_profiles.refusals), changed in the *arr by hand (then left alone), or
# given back to its wish by a person.
PROFILE_WRITTEN = "written"
PROFILE_UNDONE = "undone"
PROFILE_FAILED = "failed"
PROFILE_HAND = "hand"
PROFILE_RELEASED = "released"
# The mapping saved by a person ("mapping": {wish: [old id, new id]}, "names": {wish: [old
# name, new name]}; scanner.wish_profiles.mapping).
PROFILE_MAPPING = "mapping"
