"""The database itself holds the model's rules (unique, foreign keys, checks)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from crunchtime.models import (
    Challenge,
    Criterion,
    JudgingRound,
    JuryProfile,
    Membership,
    Preference,
    ScoreEvent,
    StudentProfile,
    Team,
    User,
)
from tests import factories


def refused(db, *rows):
    """True when the database refuses to store `rows` (and nothing is left half-written)."""
    db.session.add_all(rows)
    try:
        db.session.commit()
    except (IntegrityError, StatementError):
        db.session.rollback()
        return True
    return False


def test_email_is_unique_whatever_its_case(db):
    factories.user("student", email="lea@utbm.fr")
    assert refused(db, User(email="lea@utbm.fr", role="student"))
    assert refused(db, User(email="Lea@UTBM.fr", role="student"))


def test_role_and_locale_are_checked(db):
    assert refused(db, User(email="a@x.org", role="admin"))
    assert refused(db, User(email="b@x.org", role="student", locale="de"))


@pytest.fixture
def setting(db):
    edition = factories.edition()
    challenge = factories.challenge(edition)
    student = factories.student(edition)
    profile = db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id
                                                                == student.id))
    return edition, challenge, profile


def test_a_student_has_one_team_per_edition(db, setting):
    edition, challenge, profile = setting
    first = Team(edition_id=edition.id, challenge_id=challenge.id, code="T001")
    second = Team(edition_id=edition.id, challenge_id=challenge.id, code="T002")
    db.session.add_all([first, second])
    db.session.commit()
    db.session.add(Membership(team_id=first.id, student_id=profile.id, edition_id=edition.id))
    db.session.commit()
    assert refused(db, Membership(team_id=second.id, student_id=profile.id,
                                  edition_id=edition.id))


def test_team_codes_are_unique_in_an_edition(db, setting):
    edition, challenge, _ = setting
    db.session.add(Team(edition_id=edition.id, challenge_id=challenge.id, code="T001"))
    db.session.commit()
    assert refused(db, Team(edition_id=edition.id, challenge_id=challenge.id, code="T001"))


def test_preferences_are_unique_per_rank_and_per_challenge(db, setting):
    edition, challenge, profile = setting
    other = factories.challenge(edition)
    db.session.add(Preference(student_id=profile.id, challenge_id=challenge.id, rank=1))
    db.session.commit()
    assert refused(db, Preference(student_id=profile.id, challenge_id=other.id, rank=1))
    assert refused(db, Preference(student_id=profile.id, challenge_id=challenge.id, rank=2))
    assert refused(db, Preference(student_id=profile.id, challenge_id=other.id, rank=6))
    assert refused(db, Preference(student_id=profile.id, challenge_id=other.id, rank=0))
    assert not refused(db, Preference(student_id=profile.id, challenge_id=other.id, rank=2))


def test_ranges_are_checked(db, setting):
    edition, _, profile = setting
    profile.year_of_study = 9
    assert refused(db, profile)
    organisation = factories.organisation()
    assert refused(db, Challenge(edition_id=edition.id, organisation_id=organisation.id,
                                 code="C999", title="t", teams_wanted=11))
    edition_row = db.session.get(type(edition), edition.id)
    edition_row.phase = "party"
    assert refused(db, edition_row)


def test_foreign_keys_are_enforced(db):
    assert refused(db, StudentProfile(user_id=999_999, edition_id=999_999))


def test_score_ledger_rejects_a_repeated_client_event_id(db, setting):
    edition, challenge, _ = setting
    jury_user = factories.jury(edition)
    jury = db.session.scalar(sa.select(JuryProfile).where(JuryProfile.user_id == jury_user.id))
    team = Team(edition_id=edition.id, challenge_id=challenge.id, code="T001")
    judging_round = JudgingRound(edition_id=edition.id, number=1, name="Tour 1")
    db.session.add_all([team, judging_round])
    db.session.commit()
    criterion = Criterion(edition_id=edition.id, round_id=judging_round.id, key="innovation",
                          label_fr="Innovation")
    db.session.add(criterion)
    db.session.commit()

    def event(client_id, **fields):
        return ScoreEvent(client_event_id=client_id, round_id=judging_round.id, jury_id=jury.id,
                          team_id=team.id, criterion_id=criterion.id, **fields)

    first = event("evt-1", value=7)
    db.session.add(first)
    db.session.commit()
    assert refused(db, event("evt-1", value=8))
    assert refused(db, event("evt-2", kind="score"))  # a score needs a value
    assert refused(db, event("evt-3", kind="undo"))  # an undo names what it reverts
    assert not refused(db, event("evt-4", kind="undo", reverts_seq=first.seq))
    seqs = db.session.scalars(sa.select(ScoreEvent.seq).order_by(ScoreEvent.seq)).all()
    assert seqs == sorted(seqs) and len(seqs) == 2


def test_datetimes_are_stored_as_utc_and_naive_ones_are_refused(db):
    edition = factories.edition()
    edition.submission_deadline = datetime(2026, 3, 20, 17, 0, tzinfo=UTC)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(type(edition), edition.id).submission_deadline.tzinfo == UTC
    edition.submission_deadline = datetime(2026, 3, 20, 17, 0)
    assert refused(db, edition)
