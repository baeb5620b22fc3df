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
from hsa.state.locale import t, tf


@template(route=routes.FORGOT_PASSWORD, title="account.forgot_tab", on_load=ForgotState.load)
def forgot_password() -> rx.Component:
    s = ForgotState
    return rx.vstack(
        rx.heading(t("account.forgot_heading"), size="7"),
        rx.text(t("account.forgot_intro")),
        form_alert(s.error),
        rx.cond(s.sent != "", rx.callout(s.sent, icon="mail", color_scheme="green", id="notice", width="100%",
                                         role="status")),
        form(
            rx.vstack(
                text_field(t("login.email"), "email", s.errors, type="email", autocomplete="email", max_length=254),
                submit_button(t("account.send_reset"), busy=s.busy),
                spacing="3", width="100%",
            ),
            on_submit=s.submit, name="forgot-password", busy=s.busy, width="100%", id="forgot-form",
        ),
        rx.link(t("account.back_to_login"), href=routes.LOGIN),
        spacing="4", class_name="narrow",
    )


@template(route=routes.RESET_PASSWORD, title="account.reset_title", on_load=ResetState.load)
def reset_password() -> rx.Component:
    s = ResetState
    return rx.vstack(
        rx.heading(t("account.reset_title"), size="7"),
        rx.cond(s.loaded, rx.cond(
            s.link_open,
            rx.vstack(
                form_alert(s.error),
                form(
                    rx.vstack(
                        text_field(t("account.new_password"), "new_password", s.errors, type="password",
                                   autocomplete="new-password"),
                        text_field(t("account.repeat_password"), "confirm_password", s.errors, type="password",
                                   autocomplete="new-password"),
                        submit_button(t("account.save_password"), busy=s.busy),
                        spacing="3", width="100%",
                    ),
                    on_submit=s.submit, name="reset-password", busy=s.busy, width="100%", id="reset-form",
                ),
                rx.text(t("account.reset_signs_out"), size="2", color_scheme="gray"),
                spacing="3", width="100%",
            ),
            rx.callout(rx.vstack(rx.text(t("account.link_closed")),
                                 rx.link(t("account.ask_again"), href=routes.FORGOT_PASSWORD, id="ask-again")),
                       icon="triangle_alert", color_scheme="amber", id="link-closed", width="100%"),
        ), rx.spinner(size="3")),
        spacing="4", class_name="narrow",
    )


@template(route=routes.VERIFY_EMAIL, title="account.confirm_email_title", on_load=VerifyEmailState.load)
def verify_email() -> rx.Component:
    s = VerifyEmailState
    return rx.vstack(
        rx.heading(t("account.confirm_email_title"), size="7"),
        rx.cond(~s.loaded, rx.spinner(size="3"), rx.cond(
            s.error != "",
            rx.callout(rx.vstack(rx.text(s.error), rx.text(t("account.verify_email_hint"))),
                       icon="triangle_alert", color_scheme="amber", id="form-error", width="100%"),
            rx.vstack(
                rx.text(t("account.confirm_email_intro")),
                rx.button(t("account.confirm_email_button"), on_click=s.confirm, size="3", min_height=TAP,
                          id="confirm-email"),
                spacing="3", width="100%"))),
        spacing="4", class_name="narrow",
    )


def _step(done: rx.Var, title: rx.Var, detail: rx.Var, body: rx.Component, step_id: str) -> rx.Component:
    """One proof to give; `title` is a text Var (`t(key)`)."""
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(title, size="4", as_="h2"),
                  rx.cond(done, rx.badge(t("account.confirmed"), color_scheme="green"),
                          rx.badge(t("account.not_yet"), color_scheme="amber")),
                  justify="between", width="100%", wrap="wrap"),
        rx.text(detail),
        rx.cond(done, rx.fragment(), body),
        spacing="3", width="100%"), width="100%", id=step_id)


@template(route=routes.VERIFY, title="account.verify_title", on_load=VerifyState.load)
def verify() -> rx.Component:
    s = VerifyState
    email_step = form(
        submit_button(t("account.send_link_again"), busy=s.busy, variant="soft"),
        rx.cond(s.errors.contains("email"), rx.text(s.errors["email"], color_scheme="red", size="2",
                                                    id="email-error", role="alert")),
        on_submit=s.send_link, name="verify-email-again", busy=s.busy, width="100%", id="email-link-form",
    )
    phone_step = rx.vstack(
        rx.cond(s.code_sent, form(
            rx.vstack(
                text_field(t("account.code_label"), "code", s.errors, autocomplete="one-time-code",
                           input_mode="numeric", max_length=6),
                submit_button(t("account.confirm_number"), busy=s.busy),
                spacing="3", width="100%",
            ),
            on_submit=s.confirm_code, name="verify-code", busy=s.busy, width="100%", id="code-form",
        )),
        form(
            submit_button(rx.cond(s.code_sent, t("account.send_new_code"), t("account.text_me_code")), busy=s.busy,
                          variant=rx.cond(s.code_sent, "soft", "solid")),
            rx.cond(~s.code_sent & s.errors.contains("code"),
                    rx.text(s.errors["code"], color_scheme="red", size="2", id="send-error", role="alert")),
            on_submit=s.send_code, name="verify-send-code", busy=s.busy, width="100%", id="send-code-form",
        ),
        spacing="3", width="100%",
    )
    return rx.vstack(
        rx.heading(t("account.verify_title"), size="7"),
        rx.text(t("account.verify_intro")),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.vstack(
            _step(s.email_verified, t("login.email"), s.email, email_step, "email-step"),
            _step(s.phone_verified, t("account.mobile_number"), s.phone, phone_step, "phone-step"),
            rx.cond(s.email_verified & s.phone_verified,
                    rx.callout(t("account.all_set"), icon="check", color_scheme="green",
                               id="verified-all", width="100%")),
            spacing="3", width="100%",
        ), rx.spinner(size="3")),
        spacing="4", class_name="narrow",
    )


def _device(row: SessionRow) -> rx.Component:
    return rx.card(rx.hstack(
        rx.vstack(
            rx.text(row.device, weight="bold"),
            rx.text(tf("account.device_times", signed_in=row.signed_in, last_seen=row.last_seen),
                    size="2", color_scheme="gray"),
            spacing="1"),
        rx.cond(row.current, rx.badge(t("account.this_device"), color_scheme="green"),
                rx.button(t("account.sign_out"), variant="soft", color_scheme="red", size="3", min_height=TAP,
                          on_click=SessionsState.revoke(row.id), id="revoke-" + row.id.to_string(),
                          aria_label=tf("account.sign_out_device", device=row.device))),
        justify="between", align="center", width="100%", wrap="wrap"),
        width="100%", class_name="device-card", id="device-" + row.id.to_string())


@template(route=routes.SESSIONS, title="account.sessions_title", on_load=SessionsState.load)
def sessions() -> rx.Component:
    s = SessionsState
    return rx.vstack(
        rx.heading(t("account.sessions_title"), size="7"),
        rx.text(t("account.sessions_intro")),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.vstack(rx.foreach(s.rows, _device), spacing="3", width="100%", id="devices"),
                rx.spinner(size="3")),
        rx.link(t("account.change_password"), href=routes.PASSWORD),
        spacing="4", class_name="narrow",
    )
