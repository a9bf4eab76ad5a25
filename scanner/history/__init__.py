"""The events told in the reader's language: the history's sentences, made when an event is
shown (the admin's pages, the API's ``text``) from its kind and data, never its English
``message``. Above actions and reports: it asks both how to tell their events."""
