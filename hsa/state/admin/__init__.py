"""Admin console states, one module per page. Every handler goes through a service that starts
with require_admin."""

from hsa.state.admin.audit import AdminAuditState
from hsa.state.admin.catalog import AdminServicesState
from hsa.state.admin.dashboard import AdminHomeState
from hsa.state.admin.disputes import AdminDisputesState
from hsa.state.admin.finance import AdminFinanceState
from hsa.state.admin.payouts import AdminPayoutsState
from hsa.state.admin.professionals import AdminProsState
from hsa.state.admin.reports import AdminReportsState
from hsa.state.admin.requests import AdminRequestsState
from hsa.state.admin.users import AdminUsersState

__all__ = ["AdminAuditState", "AdminDisputesState", "AdminFinanceState", "AdminHomeState", "AdminPayoutsState",
           "AdminProsState", "AdminReportsState", "AdminRequestsState", "AdminServicesState", "AdminUsersState"]
