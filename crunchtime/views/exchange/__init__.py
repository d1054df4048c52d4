"""The organisers' import pages (students and challenges files)."""
