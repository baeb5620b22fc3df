"""Every page module; importing this package registers the pages with Reflex."""

from hsa.pages import (
           account,
           admin,
           availability,
           chat,
           customer,
           earnings,
           index,
           login,
           notifications,
           pro_profile,
           professional,
           profile,
           register,
)

__all__ = ["account", "admin", "availability", "chat", "customer", "earnings", "index", "login", "notifications",
           "pro_profile", "professional", "profile", "register"]
