"""Sign-up pages for customers and professionals (admins are created from the CLI only)."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form, form_alert, select_field, submit_button, text_area, text_field
from hsa.components.layout import template
from hsa.state.locale import t
from hsa.state.register import RegisterProState, RegisterState


def _person_fields(errors: rx.Var) -> list[rx.Component]:
    return [
        text_field(t("register.full_name"), "full_name", errors, autocomplete="name", max_length=100),
        text_field(t("login.email"), "email", errors, type="email", autocomplete="email", max_length=254),
        text_field(t("account.mobile_number"), "phone", errors, type="tel", autocomplete="tel", input_mode="tel",
                   placeholder="98765 43210"),
        text_field(t("register.password"), "password", errors, type="password",
                   autocomplete="new-password"),
        text_field(t("register.address"), "address", errors, autocomplete="street-address", max_length=300,
                   placeholder=t("register.address_hint")),
        text_field(t("register.pincode"), "pincode", errors, autocomplete="postal-code", input_mode="numeric",
                   max_length=8, placeholder="560034"),
    ]


def _sent(message: rx.Var) -> rx.Component:
    """After any sign-up: the same panel whether the address was new or taken (no enumeration)."""
    return rx.card(rx.vstack(
        rx.heading(t("register.check_email"), size="5", as_="h2"),
        rx.text(message, id="signup-sent"),
        rx.text(t("register.no_mail"), rx.link(t("register.no_mail_log_in"), href=routes.LOGIN),
                t("register.no_mail_end")),
        spacing="3"), width="100%", role="status")


@template(route=routes.REGISTER, title="nav.sign_up", on_load=RegisterState.load)
def register() -> rx.Component:
    return rx.vstack(
        rx.heading(t("register.heading"), size="7"),
        rx.text(t("register.intro")),
        form_alert(RegisterState.error),
        rx.cond(RegisterState.sent != "", _sent(RegisterState.sent), form(
            rx.vstack(*_person_fields(RegisterState.errors),
                      submit_button(t("register.submit"), busy=RegisterState.busy),
                      spacing="3", width="100%"),
            on_submit=RegisterState.submit, name="register", busy=RegisterState.busy, width="100%",
            id="register-form",
        )),
        rx.text(t("register.offer_services"), rx.link(t("register.join_pro"), href=routes.REGISTER_PRO)),
        rx.text(t("register.already"), rx.link(t("login.submit"), href=routes.LOGIN)),
        spacing="4", class_name="narrow",
    )


@template(route=routes.REGISTER_PRO, title="register.join_pro", on_load=RegisterProState.load)
def register_professional() -> rx.Component:
    errors = RegisterProState.errors
    return rx.vstack(
        rx.heading(t("register.join_pro"), size="7"),
        rx.text(t("register.pro_intro")),
        form_alert(RegisterProState.error),
        rx.cond(RegisterProState.sent != "", _sent(RegisterProState.sent), form(
            rx.vstack(
                *_person_fields(errors),
                select_field(t("register.service"), "service_id", errors, RegisterProState.service_options),
                text_field(t("register.experience"), "experience_years", errors, type="number",
                           input_mode="numeric", value="0"),
                text_area(t("register.bio"), "bio", errors),
                submit_button(t("register.apply"), busy=RegisterProState.busy),
                spacing="3", width="100%",
            ),
            on_submit=RegisterProState.submit, name="register-pro", busy=RegisterProState.busy, width="100%",
            id="register-pro-form",
        )),
        rx.text(t("register.already"), rx.link(t("login.submit"), href=routes.LOGIN)),
        spacing="4", class_name="narrow",
    )
