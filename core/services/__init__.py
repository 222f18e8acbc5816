"""Core business operations: plain functions taking a session (and an actor where it matters)."""
