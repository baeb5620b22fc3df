"""Counts and units read the way a person would write them (issue #12, item 15)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hsa.services import wording
from hsa.services.search import ProfessionalCard
from hsa.services.tracking import TrackingView
from hsa.services.views import rupees


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 reviews"), (1, "1 review"), (2, "2 reviews"), (11, "11 reviews"), (21, "21 reviews"),
    (1000, "1,000 reviews"), (150000, "1,50,000 reviews"),
])
def test_plural_review(count: int, expected: str) -> None:
    assert wording.plural(count, "review") == expected


def test_plural_irregular_and_zero_wording() -> None:
    assert wording.plural(2, "person", "people") == "2 people"
    assert wording.plural(1, "person", "people") == "1 person"
    assert wording.plural(0, "review", zero="No reviews yet") == "No reviews yet"
    assert wording.plural(1, "review", zero="No reviews yet") == "1 review"
    assert wording.plural(3, "job") == "3 jobs" and wording.plural(1, "job") == "1 job"


def test_group_digits_is_the_indian_system_shared_with_rupees() -> None:
    assert [wording.group_digits(n) for n in (0, 999, 1000, 99999, 100000, 12345678)] == [
        "0", "999", "1,000", "99,999", "1,00,000", "1,23,45,678"]
    assert wording.group_digits(-1500) == "-1,500"
    assert rupees(12345678_50) == "₹1,23,45,678.50" and rupees(149900) == "₹1,499"


@pytest.mark.parametrize(("years", "expected"), [
    (0, "Less than a year of experience"), (1, "1 year of experience"), (2, "2 years of experience"),
    (5, "5 years of experience"), (60, "60 years of experience"),
])
def test_experience(years: int, expected: str) -> None:
    assert wording.experience_label(years) == expected


def test_years() -> None:
    assert [wording.years_label(n) for n in (0, 1, 2)] == ["0 years", "1 year", "2 years"]


@pytest.mark.parametrize(("km", "expected"), [
    (None, ""), (0.0, "under 50 m"), (0.02, "under 50 m"), (0.025, "50 m"), (0.049, "50 m"), (0.26, "250 m"),
    (0.35, "350 m"), (0.374, "350 m"), (0.376, "400 m"), (0.949, "950 m"), (0.974, "950 m"),
    (0.975, "1 km"), (0.999, "1 km"), (1.0, "1 km"), (1.04, "1 km"), (1.05, "1.1 km"), (1.2, "1.2 km"),
    (9.94, "9.9 km"), (9.95, "10 km"), (9.99, "10 km"), (10.0, "10 km"), (10.4, "10 km"), (10.5, "11 km"),
    (42.0, "42 km"), (1234.4, "1,234 km"),
])
def test_distance_precise(km: float | None, expected: str) -> None:
    assert wording.distance_label(km) == expected


@pytest.mark.parametrize(("km", "expected"), [
    (None, ""), (0.0, "under 1 km"), (0.4, "under 1 km"), (0.949, "under 1 km"), (0.999, "1 km"),
    (1.0, "1 km"), (1.6, "1.6 km"), (9.95, "10 km"), (10.0, "10 km"), (13.4, "13 km"),
])
def test_distance_between_pincodes_is_never_falsely_precise(km: float | None, expected: str) -> None:
    """Pincode centroids are a few km apart at best: '0 km' and '50 m' would both mislead."""
    assert wording.distance_label(km, approximate=True) == expected


def test_distance_never_reads_zero_km() -> None:
    for metres in range(0, 20001, 7):
        for approximate in (False, True):
            label = wording.distance_label(metres / 1000, approximate=approximate)
            assert not label.startswith(("0 ", "0.")) and label != "0 km" and ".0 " not in label, label


@pytest.mark.parametrize(("size", "expected"), [
    (None, ""), (0, "0 bytes"), (1, "1 byte"), (2, "2 bytes"), (1023, "1,023 bytes"), (1024, "1 KB"),
    (1536, "2 KB"), (10 * 1024, "10 KB"), (1024 * 1024 - 1, "1 MB"), (1024 * 1024, "1 MB"),
    (int(1.25 * 1024 * 1024), "1.3 MB"), (5 * 1024 * 1024, "5 MB"), (3 * 1024 ** 3, "3 GB"),
])
def test_file_size(size: int | None, expected: str) -> None:
    assert wording.file_size_label(size) == expected


def test_file_size_never_reads_zero_kb() -> None:
    for n in range(0, 3 * 1024 * 1024, 997):
        assert not wording.file_size_label(n).startswith("0 K")


def _card(**over: object) -> ProfessionalCard:
    base = dict(user_id=1, full_name="Ravi Kumar", service_id=1, service_name="Plumbing", experience_years=1,
                bio="", rating_avg=5.0, rating_count=1, locality="Koramangala, Bengaluru Urban", distance_km=0.0,
                score=4.0, price_paise=29_900, base_price_paise=29_900)
    return ProfessionalCard(**(base | over))  # type: ignore[arg-type]


def test_pro_row_labels() -> None:
    from hsa.state.rows import pro_row

    row = pro_row(_card())
    assert (row.rating_count_label, row.experience_label, row.distance) == (
        "1 review", "1 year of experience", "under 1 km")
    row = pro_row(_card(rating_count=0, rating_avg=0.0, experience_years=7, distance_km=12.3))
    assert (row.rating, row.rating_count_label, row.experience_label, row.distance) == (
        "New", "No reviews yet", "7 years of experience", "12 km")
    assert pro_row(_card(rating_count=25, distance_km=None)).rating_count_label == "25 reviews"
    assert pro_row(_card(distance_km=None)).distance == ""


def test_pro_row_price_names_the_base_only_when_theirs_differs() -> None:
    from hsa.state.rows import pro_row

    assert pro_row(_card()).price == "₹299"
    assert pro_row(_card(price_paise=34_900)).price == "₹349 · base ₹299"
    assert pro_row(_card(price_paise=24_000)).price == "₹240 · base ₹299"


def test_track_row_distance() -> None:
    from hsa.state.rows import track_row

    def view(km: float | None) -> TrackingView:
        return TrackingView(request_id=1, status="assigned", label="On the way", professional_name="Ravi",
                            destination_lat=12.9, destination_lon=77.6, pro_lat=12.9, pro_lon=77.6,
                            accuracy_m=10.0, distance_km=km, eta_minutes=3, arriving=False,
                            en_route_at=now, recorded_at=now, updated_seconds_ago=2, stale=False)

    now = datetime.now(UTC)

    assert [track_row(view(km)).distance for km in (0.004, 0.26, 0.999, 1.23, 12.6)] == [
        "under 50 m", "250 m", "1 km", "1.2 km", "13 km"]
