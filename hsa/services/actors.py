"""Who is acting: a tiny immutable view of the logged-in user, re-read from the DB on every event."""

from __future__ import annotations

from dataclasses import dataclass

from hsa.models import ApprovalStatus, Role


@dataclass(frozen=True)
class Actor:
    """Identity plus the facts permission checks need; never carries secrets."""

    id: int
    role: Role
    full_name: str
    approval: ApprovalStatus | None = None  # professionals only
    verified: bool = False  # email and mobile number proven (issue #17): needed to book or accept
    language: str = ""  # the language the person chose (hsa.i18n), "" when they never did

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    @property
    def is_approved_professional(self) -> bool:
        return self.role is Role.professional and self.approval is ApprovalStatus.approved
