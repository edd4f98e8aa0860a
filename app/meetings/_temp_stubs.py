"""TEMP: stand-ins for the meeting pages the meetings helper writes (reverted before merge)."""

from app.meetings import bp


@bp.route("/<id:meeting_id>")
def show(meeting_id: int):
    return f"meeting {meeting_id}"


@bp.route("/cities/<slug>")
def city(slug: str):
    return f"meetings of {slug}"
