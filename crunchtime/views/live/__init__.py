"""The live boards (big screen, companies, organisers) and the organisers' cockpit."""
