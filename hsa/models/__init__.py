"""Every table class, so `SQLModel.metadata` is complete once this package is imported."""

from hsa.models.auth_session import AuditLog, AuthSession
from hsa.models.availability import AvailabilityOverride
from hsa.models.chat import ChatMessage, Report, ReportReason, ReportStatus
from hsa.models.common import utcnow
from hsa.models.dispute import Dispute, DisputeOutcome, DisputeReason, DisputeStatus
from hsa.models.extra_charge import ExtraCharge, ExtraChargeStatus
from hsa.models.favourite import Favourite
from hsa.models.forecast import DemandForecast, DemandHistory, DemandSeries
from hsa.models.idempotency import IdempotencyKey
from hsa.models.money import (
    Account,
    Invoice,
    InvoiceCounter,
    LedgerEntry,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Payout,
    PayoutBatch,
    Refund,
    RefundStatus,
    Strike,
    WebhookEvent,
)
from hsa.models.notification import Notification, NotificationKind, ReminderSent
from hsa.models.quality import AppealDecision, QualityLevel, QualityStanding
from hsa.models.review import Review
from hsa.models.service import Service
from hsa.models.service_request import ACTIVE, FINISHED, LIVE, RequestStatus, RequestStatusCount, ServiceRequest
from hsa.models.tracking import JobLocation
from hsa.models.user import ApprovalStatus, ProfessionalProfile, Role, User, UserStatus
from hsa.models.verification import AccountToken, PhoneCode, TokenPurpose

__all__ = [
    "ACTIVE", "Account", "AvailabilityOverride",
    "AccountToken", "PhoneCode", "TokenPurpose", "ChatMessage", "Report", "ReportReason",
    "ReportStatus", "DemandForecast", "DemandHistory", "DemandSeries",
    "Dispute", "DisputeOutcome", "DisputeReason", "DisputeStatus", "AppealDecision", "QualityLevel",
    "QualityStanding",
    "Invoice", "InvoiceCounter", "LedgerEntry", "Payout", "PayoutBatch", "Refund",
    "RefundStatus", "Strike", "WebhookEvent",
    "FINISHED", "LIVE", "ExtraCharge", "ExtraChargeStatus", "Favourite",
    "ApprovalStatus", "AuditLog", "AuthSession", "IdempotencyKey", "JobLocation", "Notification", "NotificationKind",
    "Payment",
    "PaymentMethod", "PaymentStatus", "ProfessionalProfile", "ReminderSent", "RequestStatus", "RequestStatusCount",
    "Review", "Role", "Service", "ServiceRequest", "User", "UserStatus", "utcnow",
]
