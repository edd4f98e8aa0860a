"""Attachments: photos and documents that travel with items of other features.

A low-level feature: it names none of the features whose items take attachments. Each of them
registers its kind from its blueprint's `record_once`, in its routes module::

    from app.attachments.registry import Attachable, register_attachable

    @bp.record_once
    def _attachments(state):
        register_attachable(state.app, "project", Attachable(
            model=Project,
            city_id=lambda project: project.city_id,
            may_attach=lambda user, project: can_manage_city(user, project.city),
            url=lambda project: url_for("projects.show", project_id=project.id),
            # may_view=lambda user, project: ...,   (optional; default: everyone)
        ))

and its item page shows the gallery and the upload form (one query, whatever the number)::

    {% from "attachments/_gallery.html" import gallery with context %}
    {{ gallery("project", project) }}

(a page that shows many items of a kind loads them all at once:
`{% set galleries = attachment_galleries("record_entry", entries) %}` then
`{{ gallery("record_entry", entry, galleries=galleries) }}`).

`may_attach(user, item)` decides who uploads, and removes any attachment of the item (uploaders
also remove their own). Moderation reports and hides attachments (kind "attachment" of
app/moderation/targets.py); alt texts are translatable (kind "attachment" of
app/translations/kinds.py). Files are kept by the storage of app/attachments/storage.py.
"""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("attachments", __name__, template_folder="templates")
