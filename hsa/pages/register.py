"""Sign-up pages for customers and professionals (admins are created from the CLI only)."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form, form_alert, select_field, submit_button, text_area, text_field
from hsa.components.layout import template
from hsa.state.register import RegisterProState, RegisterState


def _person_fields(errors: rx.Var) -> list[rx.Component]:
    return [
        text_field("Full name", "full_name", errors, autocomplete="name", max_length=100),
        text_field("Email", "email", errors, type="email", autocomplete="email", max_length=254),
        text_field("Mobile number", "phone", errors, type="tel", autocomplete="tel", input_mode="tel",
                   placeholder="98765 43210"),
        text_field("Password (8+ characters)", "password", errors, type="password",
                   autocomplete="new-password"),
        text_field("Address", "address", errors, autocomplete="street-address", max_length=300,
                   placeholder="House, street, area"),
        text_field("Pincode", "pincode", errors, autocomplete="postal-code", input_mode="numeric",
                   max_length=8, placeholder="560034"),
    ]


def _sent(message: rx.Var) -> rx.Component:
    """After any sign-up: the same panel whether the address was new or taken (no enumeration)."""
    return rx.card(rx.vstack(
        rx.heading("Check your email", size="5", as_="h2"),
        rx.text(message, id="signup-sent"),
        rx.text("No mail after a few minutes? Look in spam, or ", rx.link("log in", href=routes.LOGIN),
                " and send the link again from Verify."),
        spacing="3"), width="100%", role="status")


@template(route=routes.REGISTER, title="Sign up", on_load=RegisterState.load)
def register() -> rx.Component:
    return rx.vstack(
        rx.heading("Create your account", size="7"),
        rx.text("Book trusted professionals for your home."),
        form_alert(RegisterState.error),
        rx.cond(RegisterState.sent != "", _sent(RegisterState.sent), form(
            rx.vstack(*_person_fields(RegisterState.errors), submit_button("Create account", busy=RegisterState.busy),
                      spacing="3", width="100%"),
            on_submit=RegisterState.submit, name="register", busy=RegisterState.busy, width="100%",
            id="register-form",
        )),
        rx.text("Offer services instead? ", rx.link("Join as a professional", href=routes.REGISTER_PRO)),
        rx.text("Already registered? ", rx.link("Log in", href=routes.LOGIN)),
        spacing="4", class_name="narrow",
    )


@template(route=routes.REGISTER_PRO, title="Join as a professional", on_load=RegisterProState.load)
def register_professional() -> rx.Component:
    errors = RegisterProState.errors
    return rx.vstack(
        rx.heading("Join as a professional", size="7"),
        rx.text("Tell us what you do. An admin verifies every professional before they get jobs."),
        form_alert(RegisterProState.error),
        rx.cond(RegisterProState.sent != "", _sent(RegisterProState.sent), form(
            rx.vstack(
                *_person_fields(errors),
                select_field("Service you offer", "service_id", errors, RegisterProState.service_options),
                text_field("Years of experience", "experience_years", errors, type="number",
                           input_mode="numeric", value="0"),
                text_area("Short bio", "bio", errors),
                submit_button("Apply", busy=RegisterProState.busy),
                spacing="3", width="100%",
            ),
            on_submit=RegisterProState.submit, name="register-pro", busy=RegisterProState.busy, width="100%",
            id="register-pro-form",
        )),
        rx.text("Already registered? ", rx.link("Log in", href=routes.LOGIN)),
        spacing="4", class_name="narrow",
    )
