"""Household Services marketplace."""
