"""Access matrix entries of the schedule: the organisers' pages under a round, the juries'
pitches and buttons, the calendars, the room screens (public, like the big screen) and the
calendar feeds (public behind a signed token)."""

from __future__ import annotations

from tests.access.common import ALL_OK, LOGIN, only

ORGANIZER_ACTION = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 403,
                    "organizer": 302}
JURY_ACTION = {"anonymous": LOGIN, "student": 403, "company": 403, "jury": 302,
               "organizer": 403}
BASE = "/organizer/judging/rounds/{schedule_round_id}/schedule"

ENTRIES = {
    "scheduling_admin.schedule": ("GET", BASE, None, only("organizer")),
    # published without the acknowledgement: refused, flashed, back to the page
    "scheduling_admin.compute": ("POST", BASE + "/compute", {}, ORGANIZER_ACTION),
    "scheduling_admin.publish": ("POST", BASE + "/publish", {}, ORGANIZER_ACTION),
    "scheduling_admin.slot": ("GET", BASE + "/slots/{schedule_slot_id}", None,
                              only("organizer")),
    "scheduling_admin.lock": ("POST", BASE + "/slots/{schedule_slot_id}/lock",
                              {"locked": "1"}, ORGANIZER_ACTION),
    # no jury chosen: the page again with the form's errors
    "scheduling_admin.add_unavailability": ("POST", BASE + "/unavailabilities", {},
                                            {**ORGANIZER_ACTION, "organizer": 400}),
    "scheduling_admin.remove_unavailability": (
        "POST", BASE + "/unavailabilities/{schedule_period_id}/remove", {}, ORGANIZER_ACTION),
    "scheduling_admin.rooms": ("GET", BASE + "/rooms", None, only("organizer")),
    "scheduling_admin.room": ("GET", BASE + "/rooms/{schedule_room_id}", None,
                              only("organizer")),
    "scheduling_admin.remove_room": ("POST", BASE + "/rooms/{schedule_spare_room_id}/remove",
                                     {}, ORGANIZER_ACTION),
    "scheduling.jury_schedule": ("GET", "/jury/schedule", None, only("jury")),
    "scheduling.pitch_state": ("POST", "/jury/schedule/pitches/{schedule_slot_id}/state",
                               {"state": "done"}, JURY_ACTION),
    "scheduling.my_calendar": ("GET", "/schedule/calendar.ics", None, only("jury", "student")),
    "scheduling_public.room_screen_page": ("GET", "/live/rooms/{schedule_room_id}", None,
                                           ALL_OK),
    "scheduling_public.calendar_feed": ("GET", "/calendar/{schedule_feed_token}.ics", None,
                                        ALL_OK),
}


def url_values(db, people) -> dict:
    """A published schedule of a round of its own: the matrix jury hears one team's pitch in
    a room; a spare room; one unavailability."""
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from crunchtime.models import (
        JudgingRound,
        JuryAssignment,
        JuryProfile,
        JuryUnavailability,
        PitchSlot,
        Room,
        RoundEntry,
        RoundSchedule,
    )
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.scheduling.calendar import feed_token
    from tests import factories

    edition = current_edition()
    team = factories.team(edition)
    number = (db.session.scalar(sa.select(sa.func.max(JudgingRound.number))
                                .where(JudgingRound.edition_id == edition.id)) or 0) + 1
    judging_round = JudgingRound(edition_id=edition.id, number=number, name="Planning",
                                 status="open", juries_per_team=1)
    room = Room(edition_id=edition.id, name="B 204", site="Belfort", capacity=30, tables=1)
    spare = Room(edition_id=edition.id, name="Salle vide", site="Sevenans", capacity=10)
    db.session.add_all([judging_round, room, spare])
    db.session.flush()
    jury = db.session.scalar(sa.select(JuryProfile).where(
        JuryProfile.user_id == people["jury"].id))
    start = datetime(2026, 12, 18, 9, tzinfo=UTC)
    slot = PitchSlot(round_id=judging_round.id, room_id=room.id, starts_at=start,
                     ends_at=start + timedelta(minutes=20), team_id=team.id)
    period = JuryUnavailability(round_id=judging_round.id, jury_id=jury.id,
                                starts_at=start + timedelta(hours=3),
                                ends_at=start + timedelta(hours=4))
    db.session.add_all([
        RoundEntry(round_id=judging_round.id, team_id=team.id),
        JuryAssignment(round_id=judging_round.id, jury_id=jury.id, team_id=team.id),
        RoundSchedule(round_id=judging_round.id, window_start=start,
                      window_end=start + timedelta(hours=2), slot_minutes=20, breaks=[],
                      status="published", published_at=start, figures={}),
        slot, period])
    db.session.commit()
    return {"schedule_round_id": judging_round.id, "schedule_slot_id": slot.id,
            "schedule_room_id": room.id, "schedule_spare_room_id": spare.id,
            "schedule_period_id": period.id, "schedule_feed_token": feed_token(people["jury"])}
