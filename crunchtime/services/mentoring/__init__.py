"""Mentoring during the week: mentors and their expertise, the teams' help requests and the
mentors' office hours."""
