"""The attack suite: one test module per kind of abuse, each attack run as a hostile
student, company or outsider would (see SECURITY.md)."""
