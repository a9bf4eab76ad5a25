"""Validation of instance settings, shared by the model, the admin form and the API: a
module per kind of value (addresses, secrets, languages, paths, genres), every function
re-exported here, so ``from scanner import validators`` then ``validators.clean_x``.

Each function takes the raw value, returns the normalised value, and raises
ValidationError with a message that names the bad part (common.invalid: the user's input
goes into its parameters, never into the message).
"""

from __future__ import annotations

from scanner.validators.addresses import clean_arr_url, same_address, same_address_key
from scanner.validators.genres import clean_genres
from scanner.validators.languages import clean_language, clean_languages, clean_targets
from scanner.validators.paths import clean_folders, clean_path_mappings
from scanner.validators.search import MAX_SEARCH_LENGTH
from scanner.validators.secrets import clean_api_key, clean_server_token

__all__ = [
    "MAX_SEARCH_LENGTH",
    "clean_api_key",
    "clean_arr_url",
    "clean_folders",
    "clean_genres",
    "clean_language",
    "clean_languages",
    "clean_path_mappings",
    "clean_server_token",
    "clean_targets",
    "same_address",
    "same_address_key",
]
