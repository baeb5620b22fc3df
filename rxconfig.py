"""Reflex configuration. Origins come from HSA_PUBLIC_URL / HSA_ALLOWED_ORIGINS (never `*`)."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin
from reflex_components_radix.plugin import RadixThemesPlugin

from hsa.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="hsa",
    cors_allowed_origins=list(_settings.allowed_origins),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="medium"))],
)
