"""Challenges' pages: companies post them, organisers moderate, students browse."""
