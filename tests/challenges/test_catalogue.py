"""Students browse approved challenges from the preferences phase on: accent-insensitive
search, filters, pages of 20, and a constant number of queries."""

from __future__ import annotations

import re

import pytest

from crunchtime.models import Challenge, Skill
from tests import factories
from tests.challenges.conftest import make_challenge, set_phase, shows
from tests.helpers import count_queries, fr, says, text


@pytest.fixture
def open_catalogue(db, edition):
    set_phase(edition, "preferences")
    return edition


def codes(response) -> list[str]:
    return re.findall(r'<span class="challenge-code">(C\d{3})</span>', text(response))


def test_search_ignores_accents_and_case_both_ways(
    client, db, open_catalogue, student, login
):
    edition = open_catalogue
    make_challenge(edition, title="Énergie solaire", code="C001")
    make_challenge(edition, title="Mobilite douce", code="C002")
    login(student)
    assert codes(client.get("/challenges/?q=energie")) == ["C001"]
    assert codes(client.get("/challenges/?q=ÉNERGIE")) == ["C001"]
    assert codes(client.get("/challenges/?q=mobilité")) == ["C002"]


def test_search_covers_organisation_problem_and_skills_and_needs_every_word(
    client, db, open_catalogue, student, login
):
    edition = open_catalogue
    energy = Skill(edition_id=edition.id, name="Électronique")
    db.session.add(energy)
    make_challenge(edition, factories.organisation("Société Hydrogène"), code="C001",
                   title="Stockage")
    make_challenge(edition, code="C002", title="Capteurs", problem="Mesurer la qualité de l'air",
                   skills=[energy])
    make_challenge(edition, code="C003", title="Qualité de vie")
    login(student)
    assert codes(client.get("/challenges/?q=hydrogene")) == ["C001"]
    assert codes(client.get("/challenges/?q=electronique")) == ["C002"]
    assert codes(client.get("/challenges/?q=qualite air")) == ["C002"]
    assert codes(client.get("/challenges/?q=qualite")) == ["C002", "C003"]


def test_like_wildcards_in_the_query_are_taken_literally(
    client, db, open_catalogue, student, login
):
    make_challenge(open_catalogue, title="Réduire de 50% les déchets", code="C001")
    make_challenge(open_catalogue, title="Autre chose", code="C002")
    login(student)
    assert codes(client.get("/challenges/?q=%25")) == ["C001"]
    assert codes(client.get("/challenges/?q=_")) == []


def test_filters_by_skill_and_organisation(client, db, open_catalogue, student, login):
    edition = open_catalogue
    python = Skill(edition_id=edition.id, name="Python")
    db.session.add(python)
    acme = factories.organisation("ACME")
    make_challenge(edition, acme, code="C001", skills=[python])
    make_challenge(edition, acme, code="C002")
    make_challenge(edition, code="C003", skills=[python])
    login(student)
    assert codes(client.get(f"/challenges/?skill={python.id}")) == ["C001", "C003"]
    assert codes(client.get(f"/challenges/?organisation={acme.id}")) == ["C001", "C002"]
    assert codes(client.get(f"/challenges/?skill={python.id}&organisation={acme.id}")) == ["C001"]
    assert codes(client.get("/challenges/?skill=abc&organisation=-1")) == ["C001", "C002", "C003"]


def test_only_approved_challenges_of_the_current_edition_are_listed(
    client, db, open_catalogue, student, login
):
    edition = open_catalogue
    make_challenge(edition, code="C001", status="approved")
    for n, status in enumerate(("draft", "submitted", "rejected"), start=2):
        make_challenge(edition, code=f"C00{n}", status=status)
    make_challenge(factories.edition(current=False), code="C009")
    login(student)
    assert codes(client.get("/challenges/")) == ["C001"]
    for code in ("C002", "C003", "C004", "C009"):
        assert client.get(f"/challenges/{code}").status_code == 404


def test_pages_hold_twenty_challenges_and_keep_the_filters(
    client, db, open_catalogue, student, login
):
    for n in range(1, 46):
        make_challenge(open_catalogue, code=f"C{n:03d}", title=f"Énergie {n}")
    login(student)
    first = client.get("/challenges/?q=energie")
    assert len(codes(first)) == 20
    assert "/challenges/?page=2&amp;q=energie" in text(first)
    assert codes(client.get("/challenges/?q=energie&page=3")) == [f"C{n:03d}" for n in
                                                                  range(41, 46)]
    assert codes(client.get("/challenges/?page=99")) == []


def add_challenges(db, edition, numbers: range, skills: list[Skill]) -> None:
    organisations = [factories.organisation() for _ in range(5)]
    db.session.add_all(
        Challenge(edition_id=edition.id, organisation=organisations[n % 5], code=f"C{n:03d}",
                  title=f"Défi {n}", status="approved", search_text=f"defi {n}",
                  skills=skills[n % 3:])
        for n in numbers
    )
    db.session.commit()


def test_the_catalogue_costs_the_same_queries_for_5_or_125_challenges(
    client, db, open_catalogue, student, login, skills
):
    login(student)
    add_challenges(db, open_catalogue, range(1, 6), skills)
    with count_queries(db.engine) as few:
        assert len(codes(client.get(f"/challenges/?skill={skills[2].id}&q=defi"))) == 5
    add_challenges(db, open_catalogue, range(6, 126), skills)
    with count_queries(db.engine) as many:
        response = client.get(f"/challenges/?skill={skills[2].id}&q=defi")
    assert response.status_code == 200 and len(codes(response)) == 20
    assert many.count == few.count <= 10


def test_a_challenge_page_shows_what_students_need(client, db, open_catalogue, student, login,
                                                    skills):
    make_challenge(open_catalogue, factories.organisation("Ville de Belfort"), code="C017",
                   title="Bus à la demande", problem="Des bus vides le soir.",
                   context="Réseau Optymo.", deliverable="Une maquette d'application.",
                   teams_wanted=3, skills=[skills[1]])
    response = login(student).get("/challenges/c017")
    assert response.status_code == 200
    for value in ("Bus à la demande", "Des bus vides le soir.", "Réseau Optymo.",
                  "Une maquette d'application.", "Ville de Belfort", "Mobilité"):
        assert shows(response, value), value


def test_an_unknown_code_answers_404(client, db, open_catalogue, student, login):
    response = login(student).get("/challenges/C404")
    assert response.status_code == 404
    assert says(response, "No open challenge has the code %(code)s.", code="C404")


def test_students_get_a_clear_page_before_the_preferences_phase(
    client, db, edition, student, login
):
    make_challenge(edition, code="C001", title="Secret encore")
    login(student)
    for path in ("/challenges/", "/challenges/C001"):
        response = client.get(path)
        assert response.status_code == 200
        assert says(response, "The challenge catalogue is not open yet.")
        assert fr("Preferences") in text(response)
        assert "Secret encore" not in text(response)


def test_the_catalogue_stays_open_after_the_preferences_phase(
    client, db, edition, student, login
):
    make_challenge(edition, code="C001")
    set_phase(edition, "building")
    assert codes(login(student).get("/challenges/")) == ["C001"]


@pytest.mark.parametrize("role", ["jury", "organizer"])
def test_juries_and_organisers_browse_at_any_time(client, db, edition, login, role, request):
    make_challenge(edition, code="C001")
    login(request.getfixturevalue(role))
    response = client.get("/challenges/")
    assert codes(response) == ["C001"]
    assert says(response, "Students will see this catalogue from the “%(phase)s” phase on.",
                phase=fr("Preferences"))
    assert client.get("/challenges/C001").status_code == 200


def test_companies_use_their_own_pages_not_the_catalogue(
    client, db, open_catalogue, company_user, login
):
    make_challenge(open_catalogue, company_user.organisation, code="C001")
    login(company_user)
    assert client.get("/challenges/").status_code == 403
    assert client.get("/challenges/C001").status_code == 403
