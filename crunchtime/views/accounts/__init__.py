"""Accounts' pages: sign-in and registration (auth), the account's settings, the students'
own pages (profile, groups, wishes), the organisers' lists of people."""
