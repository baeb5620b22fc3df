"""Every page module; importing this package registers the pages with Reflex."""

from hsa.pages import dashboards, index, login, profile, register

__all__ = ["dashboards", "index", "login", "profile", "register"]
