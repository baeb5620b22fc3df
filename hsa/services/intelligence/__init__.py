"""Learned helpers (recommendations, classifiers) over the marketplace's own history; no reflex here."""
