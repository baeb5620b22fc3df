"""Learned and statistical helpers for admins (forecasts, classifiers): numbers in, numbers out, no reflex."""
