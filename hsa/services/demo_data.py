"""Demo data: a real-looking catalog and accounts across real Indian pincodes.

Idempotent: `load_demo_data` does nothing when any user already exists.
"""

from __future__ import annotations

import hashlib
import secrets
import struct
import zlib
from dataclasses import dataclass

from sqlmodel import Session, func, select

from hsa.models import ApprovalStatus, ProfessionalProfile, Role, Service, User, utcnow
from hsa.services.demo_translations import DEMO_TRANSLATIONS
from hsa.services.documents import documents_dir
from hsa.services.passwords import hash_password

DEMO_PASSWORD = "DemoPass123"  # noqa: S105 - published demo credential (README)
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "AdminPass123"  # noqa: S105 - published demo credential (README)

# name, description, base price (₹), duration (minutes)
SERVICES: list[tuple[str, str, int, int]] = [
    ("Plumbing", "Leaks, taps, blocked drains, pipe fitting and bathroom fixtures.", 299, 60),
    ("Electrical", "Wiring faults, switches, fans, lights and MCB/fuse repairs.", 249, 60),
    ("Home Cleaning", "Full home deep cleaning: kitchen, bathrooms, floors and windows.", 2499, 240),
    ("Bathroom Cleaning", "Intensive bathroom cleaning and descaling.", 599, 90),
    ("Carpentry", "Furniture repair and assembly, door and window fixes.", 349, 60),
    ("Painting", "Interior wall painting per room, with surface preparation.", 3999, 480),
    ("AC Repair", "Split and window AC diagnosis, gas refill and repair.", 599, 90),
    ("Pest Control", "Cockroach, ant and termite treatment with safe chemicals.", 1199, 120),
    ("Appliance Repair", "Washing machine, refrigerator and microwave repair.", 399, 60),
    ("RO Water Purifier", "RO service, filter change and installation.", 449, 60),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    phone: str
    address: str
    pincode: str
    role: Role
    service: str | None = None
    approval: ApprovalStatus | None = None
    experience: int = 0
    bio: str = ""
    price_rupees: int | None = None  # their own price for their service (None: the base price)


USERS: list[DemoUser] = [
    DemoUser(ADMIN_EMAIL, "Anita Admin", "+919800000001", "HSA Office, Connaught Place", "110001", Role.admin),
    DemoUser("asha@example.com", "Asha Rao", "+919812345601", "12, 4th Cross, Koramangala 5th Block",
             "560095", Role.customer),
    DemoUser("rahul@example.com", "Rahul Mehta", "+919812345602", "B-204, Sea View, Colaba", "400005",
             Role.customer),
    DemoUser("meera@example.com", "Meera Iyer", "+919812345603", "7, Besant Avenue, Adyar", "600020",
             Role.customer),
    DemoUser("ravi@example.com", "Ravi Kumar", "+919812345611", "45, 1st Main, Koramangala", "560034",
             Role.professional, "Plumbing", ApprovalStatus.approved, 8, "Licensed plumber, 8 years."),
    DemoUser("sunil@example.com", "Sunil Gowda", "+919812345612", "22, HSR Layout Sector 2", "560102",
             Role.professional, "Plumbing", ApprovalStatus.approved, 3, "Quick fixes, fair prices.", 269),
    DemoUser("suresh@example.com", "Suresh Reddy", "+919812345613", "9, Indiranagar 100ft Road", "560038",
             Role.professional, "Electrical", ApprovalStatus.approved, 12, "Certified electrician."),
    DemoUser("priya@example.com", "Priya Nair", "+919812345614", "3, Bandra West", "400050",
             Role.professional, "Home Cleaning", ApprovalStatus.approved, 5, "Team of three, eco products."),
    DemoUser("arjun@example.com", "Arjun Singh", "+919812345615", "14, Lajpat Nagar II", "110024",
             Role.professional, "AC Repair", ApprovalStatus.approved, 6, "All AC brands."),
    DemoUser("kavya@example.com", "Kavya Menon", "+919812345616", "5, T. Nagar", "600017",
             Role.professional, "Carpentry", ApprovalStatus.approved, 10, "Furniture and fittings.", 449),
    DemoUser("vikram@example.com", "Vikram Patil", "+919812345617", "88, Andheri East", "400069",
             Role.professional, "Painting", ApprovalStatus.pending, 4, "Interior painting."),
    DemoUser("deepa@example.com", "Deepa Shah", "+919812345618", "11, Jayanagar 4th Block", "560011",
             Role.professional, "Pest Control", ApprovalStatus.pending, 2, "Pest control specialist."),
]


def demo_png(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG (correct CRCs): the stand-in 'ID card' of demo applicants."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x20\x80\xc0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def is_empty(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(User)).one() == 0


def is_demo_database(session: Session) -> bool:
    """True when the demo admin exists: planted demo-only data (e.g. past demand) never goes into a real city's
    database by a mistyped flag."""
    return session.exec(select(User.id).where(User.email == ADMIN_EMAIL)).first() is not None


def load_demo_data(*, session: Session) -> bool:
    """Insert the catalog and demo accounts in one transaction; False when data already exists."""
    if not is_empty(session):
        return False
    services: dict[str, Service] = {}
    for name, description, rupees, minutes in SERVICES:
        existing = session.exec(select(Service).where(Service.name == name)).first()
        services[name] = existing or Service(name=name, description=description,
                                             base_price_paise=rupees * 100, duration_minutes=minutes,
                                             translations=DEMO_TRANSLATIONS.get(name, {}))
        session.add(services[name])
    session.flush()
    demo_hash = hash_password(DEMO_PASSWORD)
    admin_hash = hash_password(ADMIN_PASSWORD)
    admin_id: int | None = None
    for spec in USERS:
        user = User(email=spec.email, full_name=spec.full_name, phone=spec.phone,
                    password_hash=admin_hash if spec.role is Role.admin else demo_hash,
                    role=spec.role, address=spec.address, pincode=spec.pincode,
                    email_verified_at=utcnow(), phone_verified_at=utcnow())  # demo accounts have proven both
        session.add(user)
        session.flush()
        if spec.role is Role.admin:
            admin_id = user.id
        if spec.role is Role.professional:
            assert spec.service and spec.approval and user.id is not None
            approved = spec.approval is ApprovalStatus.approved
            profile = ProfessionalProfile(
                user_id=user.id, service_id=services[spec.service].id, experience_years=spec.experience,
                bio=spec.bio, approval_status=spec.approval,
                approval_reason="Documents verified (demo data)." if approved else "",
                reviewed_by_id=admin_id if approved else None, reviewed_at=utcnow() if approved else None,
                price_paise=spec.price_rupees * 100 if spec.price_rupees is not None else None)
            _attach_demo_document(profile)
            session.add(profile)
    session.commit()
    return True


def _attach_demo_document(profile: ProfessionalProfile) -> None:
    """Give each demo professional a small image document so the vetting screen has something to show."""
    data = demo_png(24, 16)
    name = f"{secrets.token_hex(16)}.png"
    path = documents_dir() / name
    path.write_bytes(data)
    path.chmod(0o600)
    profile.doc_original_name, profile.doc_stored_name = "id-card.png", name
    profile.doc_content_type, profile.doc_size = "image/png", len(data)
    profile.doc_sha256, profile.doc_uploaded_at = hashlib.sha256(data).hexdigest(), utcnow()
