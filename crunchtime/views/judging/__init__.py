"""Judging pages: the juries' (with their scoring API), the organisers' and the results."""
