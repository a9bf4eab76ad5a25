"""Django's own admin sentences that Taggarr's catalogs translate again.

Django looks a msgid up in the catalogs of LOCALE_PATHS before its apps' own
(django/utils/translation/trans_real.py, DjangoTranslation: ``_add_local_translations``
merged over ``_add_installed_apps_translations``), so the same msgid in locale/ says it
Taggarr's way. Django's catalogs put a model's name into a sentence whose article or
participle cannot agree with it ("¿Está usted seguro que quiere eliminar el miembros del
hogar seleccionado?", "Ajouter un objet Compte sur un serveur multimédia
supplémentaire") and set French's colon after a plain space ("actuellement :"): these
translations name the model where no article depends on it. A sentence about one row
whose grammar does depend on the model is said per model (web.admin.model_words).

Declared here, where scripts/messages.py finds them (``gettext_noop``: nothing is
translated at import), so that the catalogs keep them although no code of Taggarr says
them; tests/i18n/test_django_words.py checks each is translated in every catalog.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

DJANGO_ADMIN_MSGIDS = (
    # admin/color_theme_toggle.html: the header's theme button, read by a screen reader
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    # admin/actions.py, delete_selected: the selection's deletion, its title and outcome
    gettext_noop("Delete multiple objects"),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    # admin/delete_selected_confirmation.html
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the "
        "following objects and their related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related "
        "objects, but your account doesn't have permission to delete the following "
        "types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following "
        "protected related objects:"
    ),
    # admin/delete_confirmation.html: a row that cannot go alone
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting "
        "related objects, but your account doesn't have permission to delete the "
        "following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:"
    ),
    # admin/options.py, _get_obj_does_not_exist_redirect: a row's old link
    # (Django's apostrophe, U+2019, spelt out: ruff takes it for a backtick)
    gettext_noop("%(name)s with ID “%(key)s” doesn\u2019t exist. Perhaps it was deleted?"),
    # admin/helpers.py, InlineAdminFormSet: the button under a form's rows (a person's
    # accounts on the media servers, a Seerr connection's users)
    gettext_noop("Add another %(verbose_name)s"),
)
