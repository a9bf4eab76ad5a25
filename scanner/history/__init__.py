"""The events told in the reader's language: the history's sentences, made when an event is
shown (the admin's pages, the API's ``text``) from its kind and data, never its English
``message``. Above the reports, whose sentences it uses; it never imports the actions (an
import contract): the data of their events is read through scanner.models.event_data and
scanner.models.choice_events."""
