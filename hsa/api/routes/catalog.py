"""Catalog and professional search (same ranking as the web UI)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hsa.api.deps import ActorDep, Id, call
from hsa.api.problems import responses
from hsa.api.schemas import ProfessionalOut, ServiceOut
from hsa.services import catalog, search
from hsa.services.errors import NotFound

router = APIRouter(tags=["catalog"])


@router.get("/services", response_model=list[ServiceOut])
def list_services() -> list[ServiceOut]:
    """Bookable services, public."""
    return [ServiceOut.of(s) for s in call(catalog.list_active_services, readonly=True)]


@router.get("/services/{service_id}", response_model=ServiceOut, responses=responses(404, 422))
def get_service(service_id: Id) -> ServiceOut:
    for service in call(catalog.list_active_services, readonly=True):
        if service.id == service_id:
            return ServiceOut.of(service)
    raise NotFound("service")


@router.get("/professionals", response_model=list[ProfessionalOut], responses=responses(401, 422))
def find_professionals(actor: ActorDep,
                       service_id: Annotated[int | None, Query(gt=0, lt=2**31)] = None,
                       pincode: Annotated[str, Query(max_length=60)] = "",
                       q: Annotated[str, Query(max_length=50)] = "",
                       page: Annotated[int, Query(ge=1, le=1000)] = 1) -> list[ProfessionalOut]:
    """Approved, available professionals ranked by shrunk rating and distance (pincode or locality)."""
    cards = call(search.search_professionals, readonly=True, actor=actor, service_id=service_id, pincode=pincode,
                                        q=q, page=page)
    return [ProfessionalOut.of(c) for c in cards]
