"""Log in with email and password."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form, form_alert, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.state.auth import SessionState
from hsa.state.locale import t
from hsa.state.login import LoginState

_NO_ERRORS: rx.Var = rx.Var.create({})


@template(route=routes.LOGIN, title="login.title", on_load=LoginState.load)
def login() -> rx.Component:
    return rx.vstack(
        rx.heading(t("login.title"), size="7"),
        notice(SessionState.flash, color="amber", id="flash"),
        form_alert(LoginState.error),
        form(
            rx.vstack(
                text_field(t("login.email"), "email", _NO_ERRORS, type="email", autocomplete="email"),
                text_field(t("login.password"), "password", _NO_ERRORS, type="password",
                           autocomplete="current-password"),
                submit_button(t("login.submit"), busy=LoginState.busy),
                spacing="3", width="100%",
            ),
            on_submit=LoginState.submit, name="login", busy=LoginState.busy, width="100%", id="login-form",
        ),
        rx.link(t("login.forgot"), href=routes.FORGOT_PASSWORD, id="forgot-link"),
        rx.text(t("login.new_here"), rx.link(t("login.create_customer"), href=routes.REGISTER),
                t("login.or"), rx.link(t("login.join_pro"), href=routes.REGISTER_PRO), t("login.end")),
        spacing="4", class_name="narrow",
    )
