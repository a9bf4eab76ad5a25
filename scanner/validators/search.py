"""How long a search may be."""

from __future__ import annotations

# A search (the API's ?search=, the admin's ?q=) looks for a title, a name or a path's
# part, not a document; each word of it is one more condition on every search field.
MAX_SEARCH_LENGTH = 200
