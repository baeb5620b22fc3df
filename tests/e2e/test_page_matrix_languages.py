"""The page matrix in Hindi and Kannada (issue #19): every page each kind of user can open,
at 375 px, in each language, with the English sweep's checks and three of its own:

- the page is in that language (`lang` on the shell, the navbar's texts from that catalog);
- no catalog key shows (a text the server could not find says its key) and no English text of
  the catalog leaks through (a string that bypassed the catalog somewhere on the way);
- no horizontal scroll at 375 px with the longer Hindi and Kannada words, 44 px tap targets,
  and axe-core finds no critical or serious violation at 375 px or at 1280 px.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import select

from hsa import routes
from hsa.i18n.catalog import raw
from hsa.models import User
from hsa.services import sessions
from tests.e2e.a11y import assert_phone_layout as _assert_phone_layout
from tests.e2e.conftest import Server
from tests.e2e.pages import at
from tests.e2e.test_page_matrix import ACTORS, MARKERS, PHONE, axe_at_both_widths

LANGS = ("hi", "kn")
# English catalog texts long enough that seeing one on a Hindi page means it bypassed the catalog
# (short ones such as "OK" or a brand name may be the same in every language).
MIN_LEAK = 12


def _leak_probes(lang: str) -> list[str]:
    english, other = raw("en"), raw(lang)
    return sorted({text for key, text in english.items()
                   if len(text) >= MIN_LEAK and "{" not in text and other.get(key) != text})


@pytest.fixture(scope="module")
def lang_pages(browser: Browser, server: Server) -> Iterator[dict[tuple[str, str], Page]]:
    """A phone-sized page per (language, actor); the language is the browser's own choice (cookie)."""
    made: dict[tuple[str, str], Page] = {}
    contexts: list[BrowserContext] = []
    with server.session() as s:
        for lang in LANGS:
            for name, (email, _) in ACTORS.items():
                ctx = browser.new_context(base_url=server.url, viewport=PHONE)
                host = server.url.split("//", 1)[1].split(":")[0]
                ctx.add_cookies([{"name": "hsa_lang", "value": lang, "domain": host, "path": "/"}])
                if email:
                    user = s.exec(select(User).where(User.email == email)).one()
                    token = sessions.issue_session(session=s, user_id=user.id)
                    s.commit()
                    ctx.add_init_script(f"window.localStorage.setItem('hsa_session', {token!r});")
                contexts.append(ctx)
                made[(lang, name)] = ctx.new_page()
    yield made
    for ctx in contexts:
        ctx.close()


CELLS = [(lang, actor, route) for lang in LANGS for actor, (_, role) in ACTORS.items()
         for route in routes.PAGE_ACCESS if routes.redirect_for(route, role) is None]


def _visible_text(page: Page) -> str:
    """What a reader sees and hears, minus stored data shown as recorded (`data-verbatim`: the audit
    log's event details), which no catalog translates — like names and addresses people typed."""
    return page.evaluate("""() => {
        const verbatim = [...document.querySelectorAll('[data-verbatim]')];
        verbatim.forEach(e => { e.dataset.display = e.style.display; e.style.display = 'none'; });
        const text = document.body.innerText;
        verbatim.forEach(e => { e.style.display = e.dataset.display; });
        return text + '\\n' + [...document.querySelectorAll('[aria-label], [placeholder], [title]')]
            .map(e => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title')]
            .filter(Boolean).join('\\n')).join('\\n');
    }""")


@pytest.mark.parametrize(("lang", "actor", "route"), CELLS, ids=[f"{lang}:{a}:{r}" for lang, a, r in CELLS])
def test_every_page_in_every_language(lang_pages: dict[tuple[str, str], Page], lang: str, actor: str,
                                      route: str) -> None:
    page = lang_pages[(lang, actor)]
    page.goto(route)
    marker = "#main h1, #main h2" if route == routes.INDEX else MARKERS[route]
    expect(page.locator(marker).first).to_be_visible()
    expect(page).to_have_url(at(route))
    expect(page.locator(".app-shell")).to_have_attribute("lang", lang)
    nav_key = "nav.log_out" if ACTORS[actor][0] else "nav.log_in"
    expect(page.locator("#nav-links")).to_contain_text(raw(lang)[nav_key])

    text = _visible_text(page)
    keys = [key for key in raw("en") if key in text]
    assert not keys, f"raw catalog keys on {route} in {lang}: {keys}"
    leaks = [text[max(0, i - 40): i + len(probe) + 40] for probe in _leak_probes(lang) if (i := text.find(probe)) >= 0]
    assert not leaks, f"English on {route} in {lang} as {actor}, in: {leaks}"

    _assert_phone_layout(page)
    found = axe_at_both_widths(page)
    assert not any(found.values()), f"axe on {route} as {actor} in {lang}: {found}"


def test_the_matrix_covers_every_page_a_person_can_open_in_each_language() -> None:
    reachable = {route for _, (_, role) in ACTORS.items() for route in routes.PAGE_ACCESS
                 if routes.redirect_for(route, role) is None}
    assert {(lang, r) for lang, _, r in CELLS} == {(lang, r) for lang in LANGS for r in reachable}
    assert reachable == set(routes.PAGE_ACCESS)
