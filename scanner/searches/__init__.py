"""Searches for missing dubs (issue 44): ask Sonarr to search for the episodes whose files
lack a target language, and Radarr for such movies, so that a dubbed release replaces
them where the user's custom formats score it higher.

``plan`` decides from the database alone what a search would ask for (the preview the
admin and the API show), within each instance's daily bound and never for an item
searched within its interval; ``send`` reserves that in the database (the admin and the
API in the request, so that their answer tells what was reserved) and asks the *arr;
``due`` picks the items of the instances that search on a schedule. The *arr is asked by
a worker (scanner.tasks) or by ``manage.py search_missing``, never by a web request.
"""
