"""Submissions: versions, files checked by content, the deadline enforced by the server,
the organisers' overview and archives, the public gallery."""
