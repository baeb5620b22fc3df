"""Accessibility checks on a rendered page: axe-core's rules, and the phone layout a person meets.

axe-core comes from the pinned `axe-playwright-python` package (its bundled `axe.min.js`); it is
injected through Playwright's evaluate, which the page's Content-Security-Policy does not govern.
"""

from __future__ import annotations

from playwright.sync_api import Page

# WCAG 2.2 A and AA (issue #19); "best-practice" rules are advice, not failures.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING = ("critical", "serious")  # the page matrix's sweep: none of these anywhere, any role, any width

def axe_violations(page: Page, include: str | None = None, *, impacts: tuple[str, ...] | None = None) -> list[str]:
    """axe-core's violations on the page (or inside the `include` selector), one readable line each;
    only those of `impacts` when given."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "([include, tags]) => axe.run(include ? {include: [include]} : document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [include, AXE_TAGS])
    found = []
    for v in result["violations"]:
        nodes = v["nodes"]
        if nodes and (impacts is None or v["impact"] in impacts):
            found.append(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in nodes][:4]} "
                         f"{nodes[0].get('failureSummary', '')[:200]!r}")
    return found


def assert_axe_clean(page: Page, include: str | None = None) -> None:
    found = axe_violations(page, include)
    assert found == [], f"axe on {page.url} ({include or 'whole page'}):\n" + "\n".join(found)


def assert_phone_layout(page: Page) -> None:
    """No horizontal scroll at the viewport's width, 44 px tap targets, and a label on every control."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls horizontally by {overflow}px at 375px"
    # `overflow-x: hidden` on the body hides a too-wide row from the check above: measure the boxes
    # (but a data table scrolling in its own `.table-scroll` box is allowed: WCAG 1.4.10).
    too_wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.offsetParent !== null && !e.closest('.leaflet-container, .js-plotly-plot, .table-scroll'))
        .map(e => [e.tagName + (e.id ? '#' + e.id : ''), Math.round(e.getBoundingClientRect().right
                   - document.documentElement.clientWidth)])
        .filter(([_, over]) => over > 0)""")
    assert too_wide == [], f"boxes wider than the 375px screen on {page.url}: {too_wide[:5]}"
    small = page.evaluate("""() => [...document.querySelectorAll(
            'button, input, select, textarea, nav a')]
        .filter(e => e.offsetParent !== null && e.type !== 'hidden')
        .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height,
                   e.matches('nav a') ? e.getBoundingClientRect().width : 44])
        .filter(([_, h, w]) => h < 44 || w < 44)""")  # a nav link (the bell alone) is 44 px wide too
    assert small == [], f"tap targets under 44px (html, height, width) on {page.url}: {small}"
    # Text links in the page body too (WCAG 2.5.5 AAA; issue #19 asks it of phones): 44 px tall.
    short_links = page.evaluate("""() => [...document.querySelectorAll('main a')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height > 0
                     && !e.closest('.js-plotly-plot, .leaflet-container'))  // the charts' and map's own chrome
        .map(e => [e.outerHTML.slice(0, 80), Math.round(e.getBoundingClientRect().height)])
        .filter(([_, h]) => h < 44)""")
    assert short_links == [], f"links under 44px tall on {page.url}: {short_links}"
    # tabindex=-1 inputs are the upload widget's hidden file input, driven by its labelled button
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.offsetParent !== null && e.tabIndex !== -1)
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.name || e.id)""")
    assert unlabelled == [], f"inputs without a label on {page.url}: {unlabelled}"
