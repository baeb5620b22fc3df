"""Pincodes and localities as people type and read them (issue #12, items 11 and 15).

"Bangalore" and "Bengaluru" are the same city; "560 034" is the same pincode as "560034";
"Koramangala VI Bk S.O" is shown as "Koramangala 6th Block".
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hsa.models import ProfessionalProfile, Role, User
from hsa.services import accounts, pincodes, search
from hsa.services.errors import ValidationFailed
from hsa.services.schemas import BookingForm, CustomerRegistration, ProfileUpdate, parse
from tests.factories import actor_for, make_service, make_user

# ------------------------------------------------------------------ pincodes with spaces and hyphens


@pytest.mark.parametrize("typed", ["560034", "560 034", "560-034", " 560034 ", "\t560 034\n", "56 00 34",
                                   "560 - 034", "５６００３４", "५६००३४"])
def test_normalize_pincode_accepts_what_people_type(typed: str) -> None:
    assert pincodes.normalize_pincode(typed) == "560034"


@pytest.mark.parametrize("typed", ["", "56003", "5600345", "560.034", "560O34", "PIN 560034", "560_034"])
def test_normalize_pincode_leaves_anything_else_for_the_validator_to_refuse(typed: str) -> None:
    assert not pincodes.is_valid_pincode(pincodes.normalize_pincode(typed))


@pytest.mark.parametrize("typed", ["560 034", "560-034", " 560034"])
def test_every_pincode_form_accepts_and_stores_the_six_digits(typed: str) -> None:
    person = {"full_name": "Asha Rao", "email": "asha@example.com", "phone": "98765 43210",
              "password": "Sup3r-Secret-Fig", "address": "12, 4th Cross, Koramangala"}
    assert parse(CustomerRegistration, person | {"pincode": typed}).pincode == "560034"
    assert parse(ProfileUpdate, {k: person[k] for k in ("full_name", "phone", "address")}
                 | {"pincode": typed}).pincode == "560034"
    booking = {"service_id": 1, "day": "2030-01-01", "time": "10:00", "address": "12, 4th Cross, Koramangala"}
    assert parse(BookingForm, booking | {"pincode": typed}).pincode == "560034"


def test_spaced_pincode_that_does_not_exist_is_still_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(ProfileUpdate, {"full_name": "Asha Rao", "phone": "98765 43210", "address": "12, 4th Cross",
                              "pincode": "000 000"})
    assert exc.value.fields["pincode"] == "Enter a valid 6-digit Indian pincode."


def test_registration_with_a_spaced_pincode_stores_six_digits(session: Session) -> None:
    accounts.register_customer(session=session, actor=None, data={
        "full_name": "Asha Rao", "email": "asha@example.com", "phone": "98765 43210", "password": "Sup3r-Secret-Fig",
        "address": "12, 4th Cross, Koramangala", "pincode": "560 034"})
    user = session.exec(select(User).where(User.email == "asha@example.com")).first()
    assert user is not None and user.pincode == "560034"


@pytest.mark.parametrize("typed", ["560 034", "560-034", "  560034  "])
def test_search_place_accepts_spaced_pincodes(typed: str) -> None:
    assert search.resolve_place(typed) == "560034"


@pytest.mark.parametrize("typed", ["560 03", "000 000", "5600-34-1"])
def test_search_place_refuses_bad_pincodes_with_the_pincode_message(typed: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        search.resolve_place(typed)
    assert exc.value.fields["pincode"] == "Enter a valid 6-digit Indian pincode."


# ------------------------------------------------------------------ city names, old and new

CITY_PAIRS = [  # (older or other name, name India Post uses today, pincode of its head post office)
    ("Bangalore", "Bengaluru", "560001"), ("Bombay", "Mumbai", "400001"), ("Madras", "Chennai", "600001"),
    ("Calcutta", "Kolkata", "700001"), ("Gurgaon", "Gurugram", "122001"), ("Poona", "Pune", "411001"),
    ("Mysore", "Mysuru", "570001"), ("Mangalore", "Mangaluru", "575001"),
    ("Trivandrum", "Thiruvananthapuram", "695001"), ("Cochin", "Kochi", "682001"),
    ("Baroda", "Vadodara", "390001"), ("Benares", "Varanasi", "221001"), ("Banaras", "Varanasi", "221001"),
    ("Pondicherry", "Puducherry", "605001"), ("Simla", "Shimla", "171001"), ("Cawnpore", "Kanpur", "208001"),
    ("Allahabad", "Prayagraj", "211001"), ("Belgaum", "Belagavi", "590001"), ("Hubli", "Hubballi", "580020"),
    ("Gulbarga", "Kalaburagi", "585101"), ("Calicut", "Kozhikode", "673001"),
    ("Vizag", "Visakhapatnam", "530001"), ("Trichy", "Tiruchirappalli", "620001"),
    ("Tuticorin", "Thoothukudi", "628001"), ("Shimoga", "Shivamogga", "577201"), ("Tumkur", "Tumakuru", "572101"),
    ("Bellary", "Ballari", "583101"), ("Bijapur", "Vijayapura", "586101"), ("Quilon", "Kollam", "691001"),
    ("Alleppey", "Alappuzha", "688001"), ("Palghat", "Palakkad", "678001"), ("Trichur", "Thrissur", "680001"),
    ("Cannanore", "Kannur", "670001"), ("Panjim", "Panaji", "403001"), ("Nasik", "Nashik", "422001"),
    ("Gauhati", "Guwahati", "781001"), ("Bezawada", "Vijayawada", "520001"), ("Tanjore", "Thanjavur", "613001"),
    ("Chikmagalur", "Chikkamagaluru", "577101"), ("Davangere", "Davanagere", "577001"),
    ("Amdavad", "Ahmedabad", "380001"),
]
CITY_KM = 40.0  # "in the city": within this distance of its head post office


@pytest.mark.parametrize(("old", "new", "head_office"), CITY_PAIRS)
def test_both_names_of_a_city_find_that_city(old: str, new: str, head_office: str) -> None:
    centre = pincodes.centroid(head_office)
    assert centre is not None
    for typed in (old, new, old.upper(), new.lower(), f"  {old.lower()}  "):
        found = search.resolve_place(typed)
        point = pincodes.centroid(found)
        assert point is not None and pincodes.haversine_km(centre, point) < CITY_KM, (typed, found)


def test_every_city_head_office_is_a_real_pincode() -> None:
    assert {(c.name, c.head_office) for c in pincodes.CITIES} >= {(new, pin) for _, new, pin in CITY_PAIRS}
    for city in pincodes.CITIES:
        assert pincodes.is_valid_pincode(city.head_office), city
        assert pincodes.centroid(city.head_office) is not None, city


def test_city_names_with_a_look_alike_elsewhere_pick_the_city() -> None:
    """'Gurugram B.O' is a village in Uttar Pradesh, 'Baroda S.O' one in Haryana, 'Poona...' a Chennai suburb."""
    assert search.resolve_place("Gurugram").startswith("122")
    assert search.resolve_place("Baroda").startswith("390")
    assert search.resolve_place("Poona").startswith("411")
    assert search.resolve_place("Mangaluru").startswith("575")


def test_city_name_with_a_locality_word() -> None:
    assert pincodes.pincode_for_locality("Bombay Central") == pincodes.pincode_for_locality("Mumbai Central")
    assert search.resolve_place("bombay central").startswith("400")


def test_locality_with_a_city_after_a_comma() -> None:
    assert search.resolve_place("Koramangala, Bangalore") in {"560034", "560095"}
    assert search.resolve_place("koramangala , Bengaluru Urban") in {"560034", "560095"}
    # An unknown or misspelt city after the comma does not hide the locality
    assert search.resolve_place("Koramangala, Atlantis") in {"560034", "560095"}


def test_nearest_match_still_wins_for_names_shared_by_towns() -> None:
    """'Adyar' is in Chennai and in Maharashtra: the customer's own pincode decides, as before."""
    assert search.resolve_place("Adyar", near="600001").startswith("600")


def test_unknown_locality_is_a_field_error() -> None:
    for typed in ("Atlantis%", "Bangaloreee x", "ab"):
        with pytest.raises(ValidationFailed) as exc:
            search.resolve_place(typed)
        assert "locality" in exc.value.fields["pincode"]


def _pro(session: Session, service, pincode: str) -> User:  # noqa: ANN001
    user = make_user(session, role=Role.professional, service=service, full_name="Koramangala Plumber",
                     pincode=pincode)
    profile = session.exec(select(ProfessionalProfile).where(ProfessionalProfile.user_id == user.id)).one()
    profile.service_radius_km = 25
    session.add(profile)
    session.commit()
    return user


@pytest.mark.parametrize("typed", ["Bangalore", "BANGALORE ", "bengaluru", "560 034", "560-034",
                                   "Koramangala 6th Block", "koramangala vi bk", "Koramangala, Bangalore"])
def test_search_finds_the_professional_however_the_place_is_typed(session: Session, typed: str) -> None:
    plumbing = make_service(session)
    _pro(session, plumbing, "560034")
    customer = actor_for(session, make_user(session, pincode="400001"))  # lives in Mumbai
    cards = search.search_professionals(session=session, actor=customer, service_id=plumbing.id, pincode=typed)
    assert [c.full_name for c in cards] == ["Koramangala Plumber"]


# ------------------------------------------------------------------ post-office names as people write them


@pytest.mark.parametrize(("raw", "pretty"), [
    ("Koramangala VI Bk S.O", "Koramangala 6th Block"),
    ("Koramangala VI Bk", "Koramangala 6th Block"),
    ("Koramangala I Block S.O", "Koramangala 1st Block"),
    ("HSR Layout S.O", "HSR Layout"),
    ("Jayanagar III Block East", "Jayanagar 3rd Block East"),
    ("Indiranagar H.O", "Indiranagar"),
    ("Indiranagar S.O (Bengaluru)", "Indiranagar"),
    ("BTM Layout II Stage", "BTM Layout 2nd Stage"),
    ("H A L II Stage H.O", "HAL 2nd Stage"),
    ("Banashankari III Stage S.O", "Banashankari 3rd Stage"),
    ("JP Nagar VIII phase S.O", "JP Nagar 8th Phase"),
    ("West of Chord Road II stage S.O", "West of Chord Road 2nd Stage"),
    ("R M V Extension II Stage S.O", "RMV Extension 2nd Stage"),
    ("Nagarbhavi II Stage PO", "Nagarbhavi 2nd Stage"),
    ("Punjabi Bagh Sec III S.O", "Punjabi Bagh Sector 3"),
    ("Vashi Sec 26 S.O", "Vashi Sector 26"),
    ("Koramangala XII Bk", "Koramangala 12th Block"),
    ("Sector XXI", "Sector 21"),
    ("Swimming Pool Extn S.O", "Swimming Pool Extension"),
    ("Ashoka Park Extn. S.O", "Ashoka Park Extension"),
    ("Asarwa Ext South SO", "Asarwa Extension South"),
    ("Subhash Ngr SO", "Subhash Nagar"),
    ("Nehru Rd Baraut SO", "Nehru Road Baraut"),
    ("Chandra Lay Out S.O", "Chandra Layout"),
    ("Kadi Mkt Yard SO", "Kadi Market Yard"),
    ("Bengaluru G.P.O.", "Bengaluru"),
    ("Mumbai GPO", "Mumbai"),
    ("KOLKATA GPO", "Kolkata"),
    ("PRAYAGRAJ HPO", "Prayagraj"),
    ("VARANASI SHIVPUR SO", "Varanasi Shivpur"),
    ("KOT BHARA BO", "Kot Bhara"),
    ("SRI RUKMINIPURAM BO", "Sri Rukminipuram"),
    ("GIDC PHASE II", "GIDC Phase 2"),
    ("RML EXTN COUNTER NDHO", "RML Extension Counter NDHO"),
    ("1CBPO", "1CBPO"),
    ("BAHALDA RD RS S.O", "Bahalda Road RS"),
    ("Kolkata Airport Po SO", "Kolkata Airport"),
    ("Karamsana B.O.", "Karamsana"),
    ("Nagpur S.O.", "Nagpur"),
    ("Raipur B.O (Chaitanya Wadi S.O)", "Raipur"),
    ("Palam Extn (Harijan Basti) S.O", "Palam Extension (Harijan Basti)"),
    ("Bengaluru vishwavidyalaya S.O", "Bengaluru Vishwavidyalaya"),
    ("St. Johns Medical College S.O", "St. Johns Medical College"),
    ("C V Raman Nagar S.O", "CV Raman Nagar"),
    ("karanj bo", "Karanj"),
    ("Ambegaon Bk DSO", "Ambegaon Bk"),          # Bk here is "Budruk" (a village half), not Block
    ("Chak 34 Stg B.O", "Chak 34 Stg"),          # a canal colony, not a stage
    ("91 Rd", "91 Rd"),                          # a canal distance marker, not a road
    ("Koramangala S.O", "Koramangala"),
    ("SO", "SO"),
    ("I I T S.O", "IIT"),
    ("Hetimpur S O", "Hetimpur"),
    ("YCC Ambajogai S. O", "YCC Ambajogai"),
])
def test_post_office_names_read_as_people_write_them(raw: str, pretty: str) -> None:
    assert pincodes.pretty_office_name(raw) == pretty


def test_office_name_ending_with_its_district() -> None:
    assert pincodes.pretty_office_name("Arya Nagar SO Kanpur Nagar", district="KANPUR NAGAR") == "Arya Nagar"
    assert pincodes.pretty_office_name("Kanpur Nagar", district="KANPUR NAGAR") == "Kanpur Nagar"


@pytest.mark.parametrize(("pincode", "label"), [
    ("560034", "Koramangala, Bengaluru Urban"),
    ("560095", "Koramangala 6th Block, Bengaluru Urban"),
    ("560102", "HSR Layout, Bengaluru Urban"),
    ("560038", "Indiranagar, Bengaluru Urban"),
    ("560008", "HAL 2nd Stage, Bengaluru Urban"),
    ("400001", "Mumbai"),
    ("700001", "Kolkata"),
    ("000000", ""),
])
def test_locality_labels_are_prettified(pincode: str, label: str) -> None:
    assert pincodes.locality(pincode) == label


@pytest.mark.parametrize("typed", ["Koramangala 6th Block", "koramangala vi bk", "Koramangala VI Block",
                                   "KORAMANGALA 6TH BLOCK", "Koramangala 6th Block, Bengaluru Urban"])
def test_the_shown_locality_can_be_typed_back(typed: str) -> None:
    assert search.resolve_place(typed) == "560095"


def test_initials_can_be_typed_with_or_without_spaces() -> None:
    assert search.resolve_place("HAL 2nd Stage") == search.resolve_place("H A L II Stage") == "560008"


def test_locality_search_is_case_and_space_insensitive() -> None:
    assert {search.resolve_place(t) for t in ("hsr layout", "  HSR   Layout ", "HSR LAYOUT")} == {"560102"}
