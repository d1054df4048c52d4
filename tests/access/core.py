"""Access matrix entries of the foundation: public pages, accounts, role homes, organisers.

Each module of tests/access/ defines ENTRIES = {endpoint: (method, path, form, expected)},
where `path` may hold {placeholders} filled by its optional `url_values(db, people)`.
"""

from __future__ import annotations

from tests.access.common import ALL_OK, LOGIN, SIGNED_IN, VISITORS_ONLY, everyone, only

ENTRIES = {
    "static": ("GET", "/static/css/app.css", None, ALL_OK),
    "public.index": ("GET", "/", None, ALL_OK),
    "public.privacy": ("GET", "/privacy", None, ALL_OK),
    "public.health": ("GET", "/health", None, ALL_OK),
    "public.ready": ("GET", "/ready", None, ALL_OK),
    "public.metrics": ("GET", "/metrics", None, everyone(404)),  # METRICS_ENABLED is off
    "public.set_language": ("POST", "/language", {"locale": "en"}, everyone(302)),
    "auth.register_student": ("GET", "/register/student", None, VISITORS_ONLY),
    "auth.register_company": ("GET", "/register/company", None, VISITORS_ONLY),
    "auth.login": ("GET", "/login", None, VISITORS_ONLY),
    "auth.logout": ("POST", "/logout", {}, everyone(302)),
    "auth.forgot_password": ("GET", "/password/forgot", None, ALL_OK),
    "auth.reset_password": ("GET", "/password/reset/not-a-token", None, everyone(400)),
    "auth.accept_invitation": ("GET", "/invitation/not-a-token", None, everyone(400)),
    "auth.verify_email": ("GET", "/email/verify/not-a-token", None, everyone(400)),
    "auth.resend_verification": ("GET", "/email/verify/resend", None, ALL_OK),
    "account.settings": ("GET", "/account/", None, SIGNED_IN),
    "student.home": ("GET", "/student/", None, only("student")),
    "company.home": ("GET", "/company/", None, only("company")),
    "jury.home": ("GET", "/jury/", None, only("jury")),
    "organizer.dashboard": ("GET", "/organizer/", None, only("organizer")),
    "organizer.edition_list": ("GET", "/organizer/editions", None, only("organizer")),
    "organizer.phase": ("GET", "/organizer/phase", None, only("organizer")),
    "organizer.juries": ("GET", "/organizer/juries", None, only("organizer")),
    "organizer.outbox": ("GET", "/organizer/outbox", None, only("organizer")),
    "organizer.outbox_message": ("GET", "/organizer/outbox/{message_id}", None,
                                 only("organizer")),
    "organizer.resend_outbox_message": ("POST", "/organizer/outbox/{message_id}/resend", {},
                                        {**everyone(403), "anonymous": LOGIN,
                                         "organizer": 302}),
    "organizer.resend_failed_mail": ("POST", "/organizer/outbox/resend-failed", {},
                                     {**everyone(403), "anonymous": LOGIN, "organizer": 302}),
    "organizer.audit_log": ("GET", "/organizer/audit", None, only("organizer")),
}


def url_values(db, people) -> dict:
    from crunchtime.services.mail import queue_mail

    message = queue_mail("someone@example.org", "Sujet", "Corps")
    db.session.commit()
    return {"message_id": message.id}
