"""Log in with email and password."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form, form_alert, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.state.auth import SessionState
from hsa.state.login import LoginState

_NO_ERRORS: rx.Var = rx.Var.create({})


@template(route=routes.LOGIN, title="Log in", on_load=LoginState.load)
def login() -> rx.Component:
    return rx.vstack(
        rx.heading("Log in", size="7"),
        notice(SessionState.flash, color="amber", id="flash"),
        form_alert(LoginState.error),
        form(
            rx.vstack(
                text_field("Email", "email", _NO_ERRORS, type="email", autocomplete="email"),
                text_field("Password", "password", _NO_ERRORS, type="password", autocomplete="current-password"),
                submit_button("Log in", busy=LoginState.busy),
                spacing="3", width="100%",
            ),
            on_submit=LoginState.submit, name="login", busy=LoginState.busy, width="100%", id="login-form",
        ),
        rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, id="forgot-link"),
        rx.text("New here? ", rx.link("Create a customer account", href=routes.REGISTER),
                " or ", rx.link("join as a professional", href=routes.REGISTER_PRO), "."),
        spacing="4", class_name="narrow",
    )
