"""Passwords, one-time tokens, HTTP hardening."""
