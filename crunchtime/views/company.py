"""The company's pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from crunchtime.access import role_required
from crunchtime.services.editions import current_edition

blueprint = Blueprint("company", __name__, url_prefix="/company")


@blueprint.route("/")
@role_required("company")
def home():
    return render_template("company/home.html", edition=current_edition())
