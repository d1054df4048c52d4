"""The team space (with its submission pages), the companies' view of their teams, and the
wish to continue."""
