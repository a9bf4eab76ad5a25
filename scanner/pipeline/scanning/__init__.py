"""Sourcing and deciding: where a scan's items and their files come from (the *arr's
list, the library folders, the *arr's media info, MediaInfo on the files) and what they
decide (the verdict, the seasons, the dub news due). The plan step lives here."""
