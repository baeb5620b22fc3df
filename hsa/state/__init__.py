"""Reflex states, one flat module per page plus the session helpers in `auth`."""
