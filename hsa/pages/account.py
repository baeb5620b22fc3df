"""Forgot / reset password, the sign-up link, Verify (email and SMS code), and signed-in devices."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.state.account import (
    ForgotState,
    ResetState,
    SessionRow,
    SessionsState,
    VerifyEmailState,
    VerifyState,
)


@template(route=routes.FORGOT_PASSWORD, title="Forgot password", on_load=ForgotState.load)
def forgot_password() -> rx.Component:
    s = ForgotState
    return rx.vstack(
        rx.heading("Forgot your password?", size="7"),
        rx.text("Enter the email you signed up with. We'll mail you a link to choose a new password."),
        form_alert(s.error),
        rx.cond(s.sent != "", rx.callout(s.sent, icon="mail", color_scheme="green", id="notice", width="100%",
                                         role="status")),
        form(
            rx.vstack(
                text_field("Email", "email", s.errors, type="email", autocomplete="email", max_length=254),
                submit_button("Send reset link", busy=s.busy),
                spacing="3", width="100%",
            ),
            on_submit=s.submit, name="forgot-password", busy=s.busy, width="100%", id="forgot-form",
        ),
        rx.link("Back to log in", href=routes.LOGIN),
        spacing="4", class_name="narrow",
    )


@template(route=routes.RESET_PASSWORD, title="Choose a new password", on_load=ResetState.load)
def reset_password() -> rx.Component:
    s = ResetState
    return rx.vstack(
        rx.heading("Choose a new password", size="7"),
        rx.cond(s.loaded, rx.cond(
            s.link_open,
            rx.vstack(
                form_alert(s.error),
                form(
                    rx.vstack(
                        text_field("New password (8+ characters)", "new_password", s.errors, type="password",
                                   autocomplete="new-password"),
                        text_field("Repeat new password", "confirm_password", s.errors, type="password",
                                   autocomplete="new-password"),
                        submit_button("Save new password", busy=s.busy),
                        spacing="3", width="100%",
                    ),
                    on_submit=s.submit, name="reset-password", busy=s.busy, width="100%", id="reset-form",
                ),
                rx.text("Saving signs you out on every other device.", size="2", color_scheme="gray"),
                spacing="3", width="100%",
            ),
            rx.callout(rx.vstack(rx.text("This link is not valid any more: it was used, or it is older than "
                                         "30 minutes, or a newer one was sent."),
                                 rx.link("Ask for a new link", href=routes.FORGOT_PASSWORD, id="ask-again")),
                       icon="triangle_alert", color_scheme="amber", id="link-closed", width="100%"),
        ), rx.spinner(size="3")),
        spacing="4", class_name="narrow",
    )


@template(route=routes.VERIFY_EMAIL, title="Confirm your email", on_load=VerifyEmailState.load)
def verify_email() -> rx.Component:
    s = VerifyEmailState
    return rx.vstack(
        rx.heading("Confirm your email", size="7"),
        rx.cond(~s.loaded, rx.spinner(size="3"), rx.cond(
            s.error != "",
            rx.callout(rx.vstack(rx.text(s.error), rx.text("Log in and send a new link from Verify.")),
                       icon="triangle_alert", color_scheme="amber", id="form-error", width="100%"),
            rx.vstack(
                rx.text("One step left: confirm that this address is yours. You will be signed in here."),
                rx.button("Confirm my email", on_click=s.confirm, size="3", min_height=TAP, id="confirm-email"),
                spacing="3", width="100%"))),
        spacing="4", class_name="narrow",
    )


def _step(done: rx.Var, title: str, detail: rx.Var, body: rx.Component, step_id: str) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(title, size="4", as_="h2"),
                  rx.cond(done, rx.badge("Confirmed", color_scheme="green"), rx.badge("Not yet", color_scheme="amber")),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(detail),
        rx.cond(done, rx.fragment(), body),
        spacing="3", width="100%"), width="100%", id=step_id)


@template(route=routes.VERIFY, title="Verify your account", on_load=VerifyState.load)
def verify() -> rx.Component:
    s = VerifyState
    email_step = form(
        submit_button("Send the link again", busy=s.busy, variant="soft"),
        rx.cond(s.errors.contains("email"), rx.text(s.errors["email"], color_scheme="red", size="2",
                                                    id="email-error", role="alert")),
        on_submit=s.send_link, name="verify-email-again", busy=s.busy, width="100%", id="email-link-form",
    )
    phone_step = rx.vstack(
        rx.cond(s.code_sent, form(
            rx.vstack(
                text_field("6-digit code", "code", s.errors, autocomplete="one-time-code", input_mode="numeric",
                           max_length=6),
                submit_button("Confirm number", busy=s.busy),
                spacing="3", width="100%",
            ),
            on_submit=s.confirm_code, name="verify-code", busy=s.busy, width="100%", id="code-form",
        )),
        form(
            submit_button(rx.cond(s.code_sent, "Send a new code", "Text me a code"), busy=s.busy,
                          variant=rx.cond(s.code_sent, "soft", "solid")),
            rx.cond(~s.code_sent & s.errors.contains("code"),
                    rx.text(s.errors["code"], color_scheme="red", size="2", id="send-error", role="alert")),
            on_submit=s.send_code, name="verify-send-code", busy=s.busy, width="100%", id="send-code-form",
        ),
        spacing="3", width="100%",
    )
    return rx.vstack(
        rx.heading("Verify your account", size="7"),
        rx.text("Booking and accepting jobs need a confirmed email address and mobile number, so both sides "
                "know who is coming."),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.vstack(
            _step(s.email_verified, "Email", s.email, email_step, "email-step"),
            _step(s.phone_verified, "Mobile number", s.phone, phone_step, "phone-step"),
            rx.cond(s.email_verified & s.phone_verified,
                    rx.callout("All set: you can book and accept jobs.", icon="check", color_scheme="green",
                               id="verified-all", width="100%")),
            spacing="3", width="100%",
        ), rx.spinner(size="3")),
        spacing="4", class_name="narrow",
    )


def _device(row: SessionRow) -> rx.Component:
    return rx.card(rx.hstack(
        rx.vstack(
            rx.text(row.device, weight="bold"),
            rx.text("Signed in ", row.signed_in, " · last seen ", row.last_seen, size="2", color_scheme="gray"),
            spacing="1"),
        rx.cond(row.current, rx.badge("This device", color_scheme="green"),
                rx.button("Sign out", variant="soft", color_scheme="red", size="3", min_height=TAP,
                          on_click=SessionsState.revoke(row.id), id="revoke-" + row.id.to_string(),
                          aria_label="Sign out " + row.device)),
        justify="between", align="center", width="100%", wrap="wrap"),
        width="100%", class_name="device-card", id="device-" + row.id.to_string())


@template(route=routes.SESSIONS, title="Where you're signed in", on_load=SessionsState.load)
def sessions() -> rx.Component:
    s = SessionsState
    return rx.vstack(
        rx.heading("Where you're signed in", size="7"),
        rx.text("Don't recognise a device? Sign it out, then change your password."),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.vstack(rx.foreach(s.rows, _device), spacing="3", width="100%", id="devices"),
                rx.spinner(size="3")),
        rx.link("Change password", href=routes.PASSWORD),
        spacing="4", class_name="narrow",
    )
