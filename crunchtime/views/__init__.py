"""Blueprints, one per audience."""

from crunchtime.views import account, catalogue, company, jury, moderation, public, student
from crunchtime.views.auth import blueprint as auth_blueprint
from crunchtime.views.imports import blueprint as imports_blueprint
from crunchtime.views.organizer import blueprint as organizer_blueprint
from crunchtime.views.people import blueprint as people_blueprint

BLUEPRINTS = [
    public.blueprint,
    auth_blueprint,
    account.blueprint,
    student.blueprint,
    company.blueprint,
    jury.blueprint,
    organizer_blueprint,
    people_blueprint,
    moderation.blueprint,
    catalogue.blueprint,
    imports_blueprint,
]
