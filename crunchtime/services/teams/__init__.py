"""Teams as their members and companies see them: the team space, the design-thinking
stages (milestones) and the wish to continue (pure rules: crunchtime/teamwork/)."""
