"""Challenges: companies draft them with attachments, organisers review them, students
browse the catalogue and rank their wishes (preferences)."""
