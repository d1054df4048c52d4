"""Blueprints, one per audience."""

from crunchtime.views import account, company, jury, public, student
from crunchtime.views.auth import blueprint as auth_blueprint
from crunchtime.views.organizer import blueprint as organizer_blueprint

BLUEPRINTS = [
    public.blueprint,
    auth_blueprint,
    account.blueprint,
    student.blueprint,
    company.blueprint,
    jury.blueprint,
    organizer_blueprint,
]
