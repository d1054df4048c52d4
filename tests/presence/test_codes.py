"""The pure rules of presence codes and session windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crunchtime.presence import codes, window

SECRET = "a-secret"
T0 = 1_800_000_000.0  # a moment, in Unix seconds


def test_a_door_token_reads_back_only_with_the_same_secret():
    code = codes.DoorCode(3, 7, codes.step_of(T0))
    token = codes.door_token(SECRET, code)
    assert codes.parse_door_token(SECRET, token) == code
    with pytest.raises(codes.CodeRefused) as refused:
        codes.parse_door_token("another-secret", token)
    assert refused.value.reason == codes.FORGED


@pytest.mark.parametrize("change", [
    lambda t: t.replace("3.7.", "3.8.", 1),  # another session, same signature
    lambda t: t.replace("3.7.", "4.7.", 1),  # another point
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "not-a-token", lambda t: "", lambda t: "1.2.3", lambda t: t + ".extra"])
def test_a_changed_or_made_up_token_is_forged(change):
    token = codes.door_token(SECRET, codes.DoorCode(3, 7, codes.step_of(T0)))
    with pytest.raises(codes.CodeRefused) as refused:
        codes.parse_door_token(SECRET, change(token))
    assert refused.value.reason == codes.FORGED


def test_a_code_lives_for_its_step_and_the_next_then_expires():
    code = codes.DoorCode(1, 1, codes.step_of(T0))
    codes.require_fresh(code, T0)
    codes.require_fresh(code, T0 + codes.STEP_SECONDS)
    with pytest.raises(codes.CodeRefused) as refused:
        codes.require_fresh(code, T0 + 2 * codes.STEP_SECONDS)
    assert refused.value.reason == codes.EXPIRED
    with pytest.raises(codes.CodeRefused) as future:
        codes.require_fresh(code, T0 - codes.STEP_SECONDS)
    assert future.value.reason == codes.FORGED


def test_the_short_code_changes_with_the_step_and_matches_as_typed():
    first = codes.DoorCode(1, 1, 100)
    second = codes.DoorCode(1, 1, 101)
    short = codes.short_code(SECRET, first)
    assert len(short) == codes.SHORT_LENGTH and short != codes.short_code(SECRET, second)
    assert set(short) <= set(codes.SHORT_ALPHABET)
    typed = f" {short[:3].lower()} {short[3:]} "
    assert codes.match_short_code(SECRET, typed, [second, first]) == first
    assert codes.match_short_code(SECRET, "ZZZZZZ", [first, second]) is None


def test_a_personal_code_names_its_student_in_its_edition_only():
    code = codes.personal_code(SECRET, 5, 1234)
    assert code.startswith("1234-")
    assert codes.parse_personal_code(SECRET, 5, code.lower()) == 1234
    for wrong in (codes.personal_code(SECRET, 6, 1234), "1235-" + code.split("-")[1],
                  "1234", "abc-def", ""):
        with pytest.raises(codes.CodeRefused):
            codes.parse_personal_code(SECRET, 5, wrong)


def test_a_confirmation_is_bound_to_its_student_and_lasts_three_minutes():
    code = codes.DoorCode(2, 9, codes.step_of(T0))
    text = codes.confirmation(SECRET, 41, code)
    assert codes.parse_confirmation(SECRET, 41, text, T0 + 150) == code
    with pytest.raises(codes.CodeRefused) as other:
        codes.parse_confirmation(SECRET, 42, text, T0)
    assert other.value.reason == codes.FORGED
    with pytest.raises(codes.CodeRefused) as late:
        codes.parse_confirmation(SECRET, 41, text, T0 + codes.CONFIRM_STEPS * 30 + 1)
    assert late.value.reason == codes.EXPIRED


def test_the_window_opens_half_an_hour_early_and_closes_at_the_end():
    start = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    end = start + timedelta(hours=3)
    assert window.window_state(start, end, start - timedelta(minutes=31)) == window.BEFORE
    assert window.window_state(start, end, start - timedelta(minutes=30)) == window.OPEN
    assert window.window_state(start, end, end) == window.OPEN
    assert window.window_state(start, end, end + timedelta(seconds=1)) == window.AFTER
    assert not window.is_late(start, start + window.LATE_AFTER)
    assert window.is_late(start, start + window.LATE_AFTER + timedelta(seconds=1))


def test_the_default_week_is_five_days_of_two_sessions_in_local_time():
    paris = ZoneInfo("Europe/Paris")
    sessions = window.default_week(date(2027, 3, 29), paris)  # across the clock change
    assert len(sessions) == 10
    assert [s.part for s in sessions[:2]] == ["morning", "afternoon"]
    assert all(s.starts_at.astimezone(paris).hour in (9, 13) for s in sessions)
    assert sessions[0].starts_at.utcoffset() == timedelta(hours=2)
    pairs = [(s.starts_at, s.ends_at) for s in sessions]
    assert not any(window.overlaps(a, b) for i, a in enumerate(pairs) for b in pairs[i + 1:])
