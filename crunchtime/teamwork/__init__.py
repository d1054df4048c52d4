"""Pure rules of the team space (no Flask, no database): submission revisions and merges,
links, team names, deadlines and statuses, and the streamed ZIP of deliverables."""
