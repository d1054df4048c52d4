"""Presence over the week: sessions and check-in points (sessions.py), check-ins by the
door's code or by the staff (checkins.py), declared absences (absences.py), who is here and
the attendance for credits (overview.py, attendance.py, export.py)."""
