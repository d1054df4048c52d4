"""The demo edition: the pure generator's cohort (crunchtime/demo/) written into the database
and played up to a stage (matched, judging, results), with a past edition."""
