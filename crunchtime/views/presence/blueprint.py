"""Presence: organisers define the week and show the door screens, students check in and
declare absences, the staff scan or tick; one blueprint, its routes in three modules."""

from flask import Blueprint

blueprint = Blueprint("presence", __name__)
