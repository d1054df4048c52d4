"""Matching runs: the model's inputs read from the database, runs previewed, adjusted,
compared and published into teams (the model itself: crunchtime/matching/)."""
