"""Every page module; importing this package registers the pages with Reflex."""

from hsa.pages import admin, customer, earnings, index, login, notifications, professional, profile, register

__all__ = ["admin", "customer", "earnings", "index", "login", "notifications", "professional", "profile",
           "register"]
