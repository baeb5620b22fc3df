"""The people a trust journey needs: a customer, an available Bengaluru plumber and an admin,
each with a unique email so journeys never collide on the shared browser-test database."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlmodel import Session, select

from hsa.models import ProfessionalProfile, Role, Service, User
from tests.factories import make_user


@dataclass
class Cast:
    plumbing: Service
    customer: User
    pro: User
    admin: User


def cast(s: Session, tag: str, customer: str, pro: str, admin: str) -> Cast:
    """Create the three (full names as given; emails `<tag>-c<n>@example.com` …); the pro is on duty."""
    plumbing = s.exec(select(Service).where(Service.name == "Plumbing")).one()
    n = time.monotonic_ns()
    c = make_user(s, email=f"{tag}-c{n}@example.com", full_name=customer)
    p = make_user(s, role=Role.professional, service=plumbing, email=f"{tag}-p{n}@example.com", full_name=pro)
    a = make_user(s, role=Role.admin, email=f"{tag}-a{n}@example.com", full_name=admin)
    profile = s.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == p.id)).one()
    profile.is_available = True
    s.add(profile)
    s.commit()
    return Cast(plumbing, c, p, a)
