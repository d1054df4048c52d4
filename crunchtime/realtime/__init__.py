"""Live events over Socket.IO (namespace /live)."""
