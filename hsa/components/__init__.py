"""Stateless UI pieces: they take values and handlers, they never query."""
