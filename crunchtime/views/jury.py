"""The jury's pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from crunchtime.access import role_required
from crunchtime.services.editions import current_edition

blueprint = Blueprint("jury", __name__, url_prefix="/jury")


@blueprint.route("/")
@role_required("jury")
def home():
    return render_template("jury/home.html", edition=current_edition())
