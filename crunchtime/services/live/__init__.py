"""Live: who joins which room, the board views computed for each room, the big screen's
display, the organisers' cockpit and what keeps it current."""
