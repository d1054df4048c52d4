"""Exchange with the registrar's spreadsheets: the all-or-nothing imports of students and
challenges, and the CSV exports (pure parsing: crunchtime/imports/)."""
