"""The pitch schedule of the judging rounds (issue 22): rooms, slots, publishing, and what
juries, teams and room screens see."""
