"""Reflex configuration. Origins come from HSA_PUBLIC_URL / HSA_ALLOWED_ORIGINS (never `*`)."""

import os
import sys

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin
from reflex_components_radix.plugin import RadixThemesPlugin

from hsa.settings import SettingsError, get_settings

try:
    _settings = get_settings()
except SettingsError as exc:  # say what is wrong in one line per variable, not a traceback
    print(f"configuration error:\n{exc}", file=sys.stderr)
    raise SystemExit(2) from None

config = rx.Config(
    app_name="hsa",
    cors_allowed_origins=list(_settings.allowed_origins),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    # One worker without Redis: keep tab state in memory. Reflex's default disk manager re-stats
    # every saved state file on each write cycle (14 % of the server's time under load, growing
    # with the number of tabs ever seen); pages reload their data from the database on connect.
    state_manager_mode="redis" if os.environ.get("REFLEX_REDIS_URL") else "memory",
    # indigo: white on its solid buttons is 5.2:1 and its soft buttons' text 5.3:1 (WCAG AA needs
    # 4.5); the earlier teal was 3.1:1 and failed axe on every page (tests/e2e/a11y.py)
    plugins=[RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
)
