"""The student's pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user

from crunchtime.access import role_required
from crunchtime.extensions import db
from crunchtime.models import StudentProfile
from crunchtime.services.editions import current_edition

blueprint = Blueprint("student", __name__, url_prefix="/student")


@blueprint.route("/")
@role_required("student")
def home():
    edition = current_edition()
    profile = None
    if edition is not None:
        profile = db.session.scalar(
            sa.select(StudentProfile).where(
                StudentProfile.user_id == current_user.id,
                StudentProfile.edition_id == edition.id,
            )
        )
    return render_template("student/home.html", edition=edition, profile=profile)
