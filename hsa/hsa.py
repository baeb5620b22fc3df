"""Reflex app entry point: pages, plus /api/v1 and the upload size guard around the backend."""

import reflex as rx

import hsa.models  # noqa: F401 - tables registered before anything touches the DB
import hsa.pages  # noqa: F401 - pages register themselves via @template
from hsa.api.app import build_outer, limit_upload_size
from hsa.api.headers import security_headers
from hsa.observability import reflex_hooks
from hsa.state import background, push, tabs
from hsa.state.locale import LanguageMiddleware, t

# Sonner names its toast region "Notifications" in English; say it in the tab's language.
_TOASTER = rx.toast.provider(custom_attrs={"containerAriaLabel": t("nav.bell")})
app = rx.App(stylesheets=["/styles.css"], toaster=_TOASTER,
             api_transformer=[build_outer(), limit_upload_size, security_headers])  # outermost: every response
app.add_middleware(LanguageMiddleware())  # each event in the tab's language (hsa/i18n)
app.register_lifespan_task(push.lifespan)
app.register_lifespan_task(tabs.lifespan)  # tabs per address, anonymous tab expiry
app.register_lifespan_task(background.reminders_loop)
reflex_hooks.install(app)  # JSON logs, event metrics and error handlers (docs/operations.md)
