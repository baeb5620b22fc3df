"""Hindi and Kannada in the browser (issue #19): the switcher on every page, the browser's own
language for guests, the choice remembered on the browser and on the account, and texts the
server builds (errors) in the same language.

Expected texts are read from the catalogs (`hsa.i18n.catalog`), so a translation can be improved
without touching the test; what the test pins is that the page shows *that* language's text.
"""

from __future__ import annotations

import itertools
import time

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from hsa.i18n.catalog import messages
from hsa.models import Role, Service, User
from tests.e2e.a11y import assert_axe_clean, assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import signed_in
from tests.factories import make_service, make_user

HI, KN, EN = messages("hi"), messages("kn"), messages("en")
_n = itertools.count(1)


def _guest(browser: Browser, server: Server, locale: str, route: str = "/login") -> Page:
    ctx = browser.new_context(base_url=server.url, locale=locale, viewport={"width": 375, "height": 800})
    page = ctx.new_page()
    page.goto(route)
    expect(page.locator("#nav-links")).to_be_visible()
    return page


def _tag() -> str:
    return f"{time.monotonic_ns() % 10**6}{next(_n)}"


def test_a_guest_sees_the_browser_language_and_can_switch_and_keep_it(browser: Browser, server: Server) -> None:
    page = _guest(browser, server, "hi-IN")
    nav = page.locator("#nav-links")
    expect(nav).to_contain_text(HI["nav.log_in"])
    expect(page.locator(".app-shell")).to_have_attribute("lang", "hi")
    expect(page.locator("#language")).to_have_value("hi")

    page.locator("#language").select_option("kn")
    expect(nav).to_contain_text(KN["nav.sign_up"])
    expect(page.locator(".app-shell")).to_have_attribute("lang", "kn")
    page.reload()
    expect(nav).to_contain_text(KN["nav.sign_up"])  # the cookie outranks Accept-Language
    expect(page.locator("#language")).to_have_value("kn")
    assert_phone_layout(page)
    assert_axe_clean(page)

    page.locator("#language").select_option("en")
    expect(nav).to_contain_text(EN["nav.sign_up"])
    page.context.close()


def test_an_unknown_browser_language_falls_back_to_english(browser: Browser, server: Server) -> None:
    page = _guest(browser, server, "fr-FR")
    expect(page.locator("#nav-links")).to_contain_text(EN["nav.log_in"])
    expect(page.locator(".app-shell")).to_have_attribute("lang", "en")
    page.context.close()


def test_a_wrong_password_is_refused_in_the_page_language(browser: Browser, server: Server) -> None:
    page = _guest(browser, server, "kn-IN")
    page.locator("#email").fill(f"nobody-{_tag()}@example.com")
    page.locator("#password").fill("not the password")
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#form-error")).to_contain_text(KN["errors.bad_login"])
    page.context.close()


def test_a_signed_in_choice_is_saved_on_the_account_and_follows_to_another_device(
        browser: Browser, server: Server) -> None:
    with server.session() as s:
        user = make_user(s, role=Role.customer, email=f"bhasha-{_tag()}@example.com", full_name="Bhavya Rao")
        user_id = user.id
    page = signed_in(browser, server, user_id, "/customer")
    nav = page.locator("#nav-links")
    expect(nav).to_contain_text(EN["nav.log_out"])
    page.locator("#language").select_option("hi")
    expect(nav).to_contain_text(HI["nav.log_out"])
    with server.session() as s:  # the event saved it before its answer switched the page
        assert s.get(User, user_id).language == "hi"
    page.context.close()

    other = signed_in(browser, server, user_id, "/customer")  # a fresh browser in English
    expect(other.locator("#nav-links")).to_contain_text(HI["nav.log_out"])
    expect(other.locator("#language")).to_have_value("hi")
    assert_phone_layout(other)
    other.context.close()


def test_the_admin_names_a_service_in_hindi_and_a_hindi_customer_books_it_by_that_name(
        browser: Browser, server: Server) -> None:
    """Per-language catalog fields: typed on /admin/services, saved on the service, shown to a
    customer reading Hindi; a Kannada reader (no Kannada name filled) sees the English one."""
    tag = _tag()
    with server.session() as s:
        service = make_service(s, name=f"Sofa Shampoo {tag}", price_paise=60_000)
        service_id = service.id
        admin_id = s.exec(select(User.id).where(User.email == "admin@example.com")).one()
        hindi = make_user(s, email=f"hindi-{tag}@example.com", full_name="Meena Sharma")
        hindi.language = "hi"
        kannada = make_user(s, email=f"kannada-{tag}@example.com", full_name="Kavya Gowda")
        kannada.language = "kn"
        s.add_all([hindi, kannada])
        s.commit()
        hindi_id, kannada_id = hindi.id, kannada.id

    boss = signed_in(browser, server, admin_id, "/admin/services")
    row = boss.locator(f"#service-{service_id}")
    row.get_by_role("button", name=EN["admin_catalog.edit"]).click()
    form = row.locator('form[data-form="service-edit"]')
    form.get_by_label(EN["admin_catalog.name_hi"]).fill(f"सोफ़ा शैम्पू {tag}")
    form.get_by_label(EN["admin_catalog.description_hi"]).fill("सोफ़े की गहरी सफ़ाई, घर पर")
    expect(form.get_by_label(EN["admin_catalog.name_kn"])).to_have_attribute("maxlength", "80")  # (too long: refused
    # beside the field by the service too — tests/services/test_catalog_translations.py)
    form.get_by_label(EN["admin_catalog.name_kn"]).fill("")  # no Kannada name: Kannada readers see English
    form.get_by_role("button", name=EN["admin_catalog.save"]).click()
    expect(boss.locator("#notice")).to_be_visible()
    with server.session() as s:
        saved = s.get(Service, service_id).translations
    assert saved["hi"] == {"name": f"सोफ़ा शैम्पू {tag}", "description": "सोफ़े की गहरी सफ़ाई, घर पर"}
    assert not (saved.get("kn") or {}).get("name")
    boss.context.close()

    page = signed_in(browser, server, hindi_id, "/customer")
    card = page.locator(f'a[href="/book?service={service_id}"]')
    expect(card).to_contain_text(f"सोफ़ा शैम्पू {tag}")
    expect(card).to_contain_text("सोफ़े की गहरी सफ़ाई, घर पर")
    assert_phone_layout(page)
    card.click()
    picker = page.locator('select[name="service_id"]')
    expect(picker).to_have_value(str(service_id))
    expect(picker.locator("option:checked")).to_have_text(f"सोफ़ा शैम्पू {tag} · ₹600")
    page.context.close()

    other = signed_in(browser, server, kannada_id, "/book")
    expect(other.locator('select[name="service_id"] option', has_text=f"Sofa Shampoo {tag}")).to_have_count(1)
    other.context.close()
