"""Announcements from organisers: to whom, sent now or at a scheduled time (the scheduler
runs in each server process)."""
