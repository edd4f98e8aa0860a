from flask import render_template

from app.consultations import bp
from app.consultations.services import get_consultation_or_404


@bp.route("/<int:consultation_id>")
def show(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    return render_template("consultations/show.html", consultation=consultation)
