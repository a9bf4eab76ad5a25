"""What people type into an original-language field, as the reader it is typed for, and
the ISO 639-3 code stored (issue 94, item 2): read by the one language reader
(scanner.validators.clean_language) through the admin's form and the API alike."""

from __future__ import annotations

TYPED_ORIGINAL_LANGUAGES = [
    ("anglais", "fr", "eng"),  # the reader's name: never "ang", Old English
    ("Englisch", "de", "eng"),
    ("English", "it", "eng"),  # English to any reader
    ("fra", "en", "fra"),
    ("fr", "en", "fra"),
    ("VFQ", "fr", "fra"),  # a variety's word: its language (the field keeps no variety)
    ("français (Canada)", "fr", "fra"),
]
