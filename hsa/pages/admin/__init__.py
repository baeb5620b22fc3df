"""Admin console pages, one module per page, mirroring the page states in ``hsa/state/admin/``.

Importing this package registers every admin page (each module's ``@template`` does it).
"""

from hsa.pages.admin import (
    audit,
    catalog,
    dashboard,
    demand,
    disputes,
    finance,
    payouts,
    professionals,
    quality,
    reports,
    requests,
    reviews,
    users,
)

__all__ = ["audit", "catalog", "dashboard", "demand", "disputes", "finance", "payouts", "professionals", "quality",
           "reports", "requests", "reviews", "users"]
