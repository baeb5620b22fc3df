"""Admin service catalog page: add, edit, activate and deactivate services."""

import reflex as rx

from hsa import routes
from hsa.components.forms import (
    TAP,
    field_error,
    form,
    form_alert,
    notice,
    select_field,
    submit_button,
    text_area,
    text_field,
)
from hsa.components.layout import template
from hsa.components.requests import hidden
from hsa.state.admin.catalog import DESCRIPTION_MAX, NAME_MAX, AdminServicesState
from hsa.state.locale import t, tf

CAP_FACTORS = [(str(n), tf("admin_catalog.cap_default" if n == 3 else "admin_catalog.cap", n=n)) for n in range(1, 11)]
# The name and description in the other languages: (language, its name's label key, its description's).
TRANSLATION_FIELDS = (("hi", "admin_catalog.name_hi", "admin_catalog.description_hi"),
                      ("kn", "admin_catalog.name_kn", "admin_catalog.description_kn"))


def _completion_code_box(sv: rx.Var | None, prefix: str | rx.Var) -> rx.Component:
    """A native checkbox (submits "on" only when ticked) with its label as the tap target."""
    fid = prefix + "completion-code"
    box = rx.el.input(type="checkbox", name="completion_code", value="on",
                      default_checked=sv.completion_code if sv is not None else False,
                      aria_describedby=prefix + "completion-code-hint", custom_attrs={"id": fid},
                      style={"width": "24px", "height": TAP, "margin": "0", "flex": "none"})  # 44 px tap height
    return rx.vstack(
        rx.el.label(box, t("admin_catalog.completion_code"), html_for=fid, class_name="field-label",
                    style={"display": "flex", "gap": "10px", "align_items": "center", "min_height": TAP,
                           "cursor": "pointer"}),
        rx.text(t("admin_catalog.completion_code_hint"), size="1", color_scheme="gray",
                custom_attrs={"id": prefix + "completion-code-hint"}),
        field_error(AdminServicesState.errors, "completion_code", fid),
        spacing="1", width="100%", align="stretch",
    )


def _money_fields(sv: rx.Var | None, prefix: str | rx.Var) -> rx.Component:
    """The service's money policy (issue #16): the band professionals price within, HomeServe's
    commission, and the late-cancellation fee; a new service starts from the defaults."""
    errors = AdminServicesState.errors

    def field(label: str, name: str, default: str, *, decimal: bool = False) -> rx.Component:
        """`label` is a catalog key."""
        return text_field(t(label), name, errors, type="text" if decimal else "number",
                          value=sv[name] if sv is not None else default,
                          input_mode="decimal" if decimal else "numeric", field_id=prefix + name.replace("_", "-"))

    return rx.el.fieldset(
        rx.el.legend(t("admin_catalog.money_legend"), class_name="field-label"),
        rx.text(t("admin_catalog.money_hint"), size="1", color_scheme="gray"),
        rx.box(field("admin_catalog.min_price_pct", "min_price_pct", "80"),
               field("admin_catalog.max_price_pct", "max_price_pct", "150"), class_name="field-pair"),
        field("admin_catalog.commission_pct", "commission_pct", "20", decimal=True),
        rx.box(field("admin_catalog.cancel_fee_rupees", "cancel_fee_rupees", "99"),
               field("admin_catalog.free_cancel_hours", "free_cancel_hours", "3"),
               class_name="field-pair"),
        class_name="money-fields",
    )


def _translation_fields(sv: rx.Var | None, prefix: str | rx.Var) -> rx.Component:
    """The name and description in Hindi and Kannada (issue #19); empty ones show the English."""
    errors = AdminServicesState.errors
    value = (lambda f: sv[f]) if sv is not None else (lambda f: None)  # noqa: E731
    fields: list[rx.Component] = []
    for lang, name_key, description_key in TRANSLATION_FIELDS:
        fields += [text_field(t(name_key), "name_" + lang, errors, value=value("name_" + lang), max_length=NAME_MAX,
                              required=False, field_id=prefix + "name-" + lang),
                   text_area(t(description_key), "description_" + lang, errors, value=value("description_" + lang),
                             max_length=DESCRIPTION_MAX, field_id=prefix + "description-" + lang)]
    return rx.el.fieldset(
        rx.el.legend(t("admin_catalog.translations_legend"), class_name="field-label"),
        rx.text(t("admin_catalog.translations_hint"), size="1", color_scheme="gray"),
        *fields,
        class_name="translation-fields",
    )


def _service_form(sv: rx.Var | None) -> rx.Component:
    """The "new service" form, or one service's edit form (both can be on the page at once)."""
    s = AdminServicesState
    value = (lambda f: sv[f]) if sv is not None else (lambda f: None)  # noqa: E731
    prefix = "service-" + sv.id.to_string() + "-" if sv is not None else "new-service-"
    return form(rx.vstack(
        hidden("service_id", sv.id if sv is not None else 0),
        text_field(t("admin_catalog.name"), "name", s.errors, value=value("name"), max_length=NAME_MAX,
                   field_id=prefix + "name"),
        text_area(t("admin_catalog.description"), "description", s.errors, value=value("description"),
                  max_length=DESCRIPTION_MAX, field_id=prefix + "description"),
        _translation_fields(sv, prefix),
        text_field(t("admin_catalog.base_price"), "base_price_rupees", s.errors, type="number",
                   value=value("price_rupees"), input_mode="numeric", field_id=prefix + "price"),
        text_field(t("admin_catalog.duration"), "duration_minutes", s.errors, type="number",
                   value=value("duration_minutes"), input_mode="numeric", field_id=prefix + "duration"),
        select_field(t("admin_catalog.extra_cap"), "extra_cap_factor", s.errors, static=CAP_FACTORS,
                     placeholder=None, value=sv.extra_cap_factor if sv is not None else "3",
                     field_id=prefix + "cap"),
        _completion_code_box(sv, prefix),
        _money_fields(sv, prefix),
        submit_button(t("admin_catalog.save") if sv is not None else t("admin_catalog.add"), busy=s.busy),
        width="100%",
    ), on_submit=s.save, name="service-edit" if sv is not None else "service-new", busy=s.busy,
        idempotency_key=s.submit_key, width="100%", key=s.successes.to_string(),
        id="service-form-new" if sv is None else None)


def _service_row(sv: rx.Var) -> rx.Component:
    """One service with edit and activate/deactivate; its edit form opens in place."""
    s = AdminServicesState
    return rx.card(rx.vstack(
        rx.hstack(rx.text(sv.label, weight="bold"), rx.badge(sv.price, size="2"),
                  rx.badge(tf("admin_catalog.minutes", n=sv.duration_minutes), variant="outline", size="2"),
                  rx.badge(tf("admin_catalog.extras_up_to", n=sv.extra_cap_factor), variant="outline", size="2"),
                  rx.cond(sv.completion_code, rx.badge(t("admin_catalog.code_badge"), color_scheme="blue", size="2")),
                  rx.cond(sv.is_active, rx.badge(t("admin_catalog.active"), color_scheme="green", size="2"),
                          rx.badge(t("admin_catalog.inactive"), color_scheme="gray", size="2")),
                  spacing="2", wrap="wrap"),
        rx.text(sv.summary, size="2", color_scheme="gray"),
        rx.text(sv.money, size="2", id="money-" + sv.id.to_string()),
        rx.hstack(
            rx.button(t("admin_catalog.edit"), on_click=s.edit(sv.id), size="3", variant="soft", min_height=TAP),
            rx.cond(sv.is_active,
                    rx.button(t("admin_catalog.deactivate"), on_click=s.toggle(sv.id, False), size="3",
                              color_scheme="red", variant="soft", min_height=TAP, id="deactivate-" + sv.id.to_string()),
                    rx.button(t("admin_catalog.activate"), on_click=s.toggle(sv.id, True), size="3", variant="soft",
                              min_height=TAP, id="activate-" + sv.id.to_string())),
            spacing="2"),
        rx.cond(s.editing == sv.id, _service_form(sv)),
        spacing="2", align="start", width="100%",
    ), width="100%", id="service-" + sv.id.to_string())


@template(route=routes.ADMIN_SERVICES, title="nav.services", on_load=AdminServicesState.load)
def admin_services() -> rx.Component:
    """The catalog: the "new service" form above every existing service."""
    s = AdminServicesState
    return rx.vstack(
        rx.heading(t("admin_catalog.heading"), size="7"),
        notice(s.notice), form_alert(s.error),
        rx.card(rx.vstack(rx.heading(t("admin_catalog.new"), size="4", as_="h2"),
                          rx.cond(s.editing == 0, _service_form(None)), width="100%"), width="100%"),
        rx.vstack(rx.foreach(s.services, _service_row), width="100%", id="service-list"),
        spacing="4", width="100%", id="admin-services",
    )
