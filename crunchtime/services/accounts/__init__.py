"""Accounts: registration, sign-in and invitations, students' profiles and friend groups,
organisations, the organisers' lists of people and vocabularies, juries' profiles."""
