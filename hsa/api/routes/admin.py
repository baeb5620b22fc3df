"""Admin endpoints: vetting, fraud control, catalog and the dashboard's figures."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, status

from hsa.api.deps import ActorDep, Id, IdempotencyKey, call
from hsa.api.problems import responses
from hsa.api.schemas import ApplicantOut, ReasonIn, ServiceIn, ServiceOut, SummaryOut
from hsa.services import admin, stats

router = APIRouter(prefix="/admin", tags=["admin"], responses=responses(401, 403))


class ApprovalFilter(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class UserAction(StrEnum):
    block = "block"
    unblock = "unblock"
    delete = "delete"


@router.get("/professionals", response_model=list[ApplicantOut])
def applications(
    actor: ActorDep,
    status_: Annotated[ApprovalFilter, Query(alias="status")] = ApprovalFilter.pending,
) -> list[ApplicantOut]:
    return [ApplicantOut(**{k: getattr(a, k) for k in ApplicantOut.model_fields})
            for a in call(admin.list_applications, readonly=True, actor=actor, status=status_.value)]


@router.post("/professionals/{user_id}/approve", status_code=status.HTTP_204_NO_CONTENT,
             responses=responses(404, 409, 422))
def approve(user_id: Id, actor: ActorDep) -> None:
    call(admin.decide_application, actor=actor, user_id=user_id, approve=True)


@router.post("/professionals/{user_id}/reject", status_code=status.HTTP_204_NO_CONTENT,
             responses=responses(404, 422))
def reject(user_id: Id, body: ReasonIn, actor: ActorDep) -> None:
    call(admin.decide_application, actor=actor, user_id=user_id, approve=False, reason=body.reason)


@router.post("/users/{user_id}/{action}", status_code=status.HTTP_204_NO_CONTENT,
             responses=responses(404, 409, 422))
def act_on_user(user_id: Id, action: UserAction, body: ReasonIn, actor: ActorDep) -> None:
    """Block (sessions end, jobs return to the pool), unblock, or delete (anonymise, keep history)."""
    fn = {UserAction.block: admin.block_user, UserAction.unblock: admin.unblock_user,
          UserAction.delete: admin.delete_user}[action]
    call(fn, actor=actor, user_id=user_id, reason=body.reason)


@router.get("/services", response_model=list[ServiceOut])
def all_services(actor: ActorDep) -> list[ServiceOut]:
    return [ServiceOut.of(s) for s in call(admin.list_services, actor=actor)]


@router.post("/services", response_model=ServiceOut, status_code=status.HTTP_201_CREATED, responses=responses(422))
def create_service(body: ServiceIn, actor: ActorDep, idempotency_key: IdempotencyKey = None) -> ServiceOut:
    service_id = call(admin.save_service, actor=actor, data=body.model_dump(), idempotency_key=idempotency_key)
    return next(ServiceOut.of(s) for s in call(admin.list_services, actor=actor) if s.id == service_id)


@router.put("/services/{service_id}", response_model=ServiceOut, responses=responses(404, 422))
def update_service(service_id: Id, body: ServiceIn, actor: ActorDep) -> ServiceOut:
    call(admin.save_service, actor=actor, data=body.model_dump(), service_id=service_id)
    return next(ServiceOut.of(s) for s in call(admin.list_services, actor=actor) if s.id == service_id)


@router.post("/services/{service_id}/deactivate", status_code=status.HTTP_204_NO_CONTENT, responses=responses(404))
def deactivate_service(service_id: Id, actor: ActorDep) -> None:
    call(admin.set_service_active, actor=actor, service_id=service_id, active=False)


@router.post("/services/{service_id}/activate", status_code=status.HTTP_204_NO_CONTENT, responses=responses(404))
def activate_service(service_id: Id, actor: ActorDep) -> None:
    call(admin.set_service_active, actor=actor, service_id=service_id, active=True)


@router.get("/summary", response_model=SummaryOut)
def summary(actor: ActorDep) -> SummaryOut:
    """The same figures as the admin dashboard."""
    d = call(stats.dashboard, readonly=True, actor=actor)
    data = {k: getattr(d, k) for k in SummaryOut.model_fields if k != "rating_distribution"}
    return SummaryOut(**data, rating_distribution={str(k): v for k, v in d.rating_distribution.items()})
