"""Profile editing and password change."""

import reflex as rx

from hsa import routes
from hsa.components.forms import form, form_alert, notice, submit_button, text_area, text_field
from hsa.components.layout import template
from hsa.components.my_data import my_data_card
from hsa.components.public_profile_card import public_profile_card
from hsa.state.locale import t
from hsa.state.profile import DeleteAccountState, PasswordState, ProfileState


def _price_form() -> rx.Component:
    """A professional's own price for their service, within the admin's band (issue #16). Its own
    form: a refused price must not hold up (or ride along with) the contact details."""
    s = ProfileState
    label = rx.fragment(rx.text.span(s.price_label),
                        rx.text(s.price_hint, size="1", color_scheme="gray", weight="regular", id="price-hint"))
    return rx.card(rx.vstack(
        rx.heading(t("profile.your_price"), size="4", as_="h2"),
        rx.text(s.price_now, size="2", id="price-now"),
        notice(s.price_saved, id="price-notice"),
        form(
            rx.vstack(
                text_field(label, "price_rupees", s.price_errors, type="number", value=s.price_value,
                           input_mode="numeric", required=False),
                submit_button(t("profile.save_price"), busy=s.busy),
                spacing="3", width="100%",
            ),
            on_submit=s.save_price, name="profile-price", busy=s.busy, width="100%", id="price-form",
            key=s.price_value,
        ),
        spacing="3", width="100%",
    ), width="100%", id="your-price")


def _delete_account() -> rx.Component:
    s = DeleteAccountState
    return rx.card(rx.vstack(
        rx.heading(t("profile.delete_account"), size="4", as_="h2"),
        rx.text(t("profile.delete_explainer"), size="2"),
        form(
            rx.vstack(
                text_field(t("profile.delete_password"), "password", s.errors, type="password",
                           autocomplete="current-password", field_id="delete-password"),
                submit_button(t("profile.delete_account"), busy=s.busy, color_scheme="red"),
                spacing="2", width="100%"),
            on_submit=s.submit, name="delete-account", busy=s.busy, width="100%", id="delete-account-form",
        ),
        spacing="3", width="100%"), width="100%", id="delete-account")


@template(route=routes.PROFILE, title="profile.title", on_load=ProfileState.load)
def profile() -> rx.Component:
    p, errors = ProfileState.profile, ProfileState.errors
    return rx.vstack(
        rx.heading(t("profile.title"), size="7"),
        rx.text(p["email"], " · ", p["role_label"], rx.cond(ProfileState.is_professional,
                                                         rx.text.span(" · ", p["service_name"]))),
        notice(ProfileState.saved),
        form_alert(ProfileState.error),
        rx.cond(
            ProfileState.loaded,
            form(
                rx.vstack(
                    text_field(t("profile.full_name"), "full_name", errors, value=p["full_name"], max_length=100),
                    text_field(t("profile.phone"), "phone", errors, type="tel", value=p["phone"], input_mode="tel"),
                    text_field(t("profile.address"), "address", errors, value=p["address"], max_length=300),
                    text_field(t("profile.pincode"), "pincode", errors, value=p["pincode"], input_mode="numeric",
                               max_length=8),
                    rx.cond(ProfileState.is_professional, rx.vstack(
                        text_field(t("profile.experience_years"), "experience_years", errors, type="number",
                                   value=p["experience_years"]),
                        text_area(t("profile.bio"), "bio", errors, value=p["bio"]),
                        spacing="3", width="100%",
                    )),
                    submit_button(t("profile.save"), busy=ProfileState.busy),
                    spacing="3", width="100%",
                ),
                on_submit=ProfileState.save, name="profile", busy=ProfileState.busy, width="100%",
                id="profile-form",
            ),
        ),
        rx.cond(ProfileState.price_label != "", _price_form()),
        rx.cond(ProfileState.is_professional, public_profile_card()),
        rx.link(t("profile.change_password"), href=routes.PASSWORD, id="change-password-link"),
        rx.link(t("profile.sessions_link"), href=routes.SESSIONS, id="sessions-link"),
        my_data_card(),
        _delete_account(),
        spacing="4", class_name="narrow",
    )


@template(route=routes.PASSWORD, title="profile.change_password", on_load=PasswordState.load)
def password() -> rx.Component:
    errors = PasswordState.errors
    return rx.vstack(
        rx.heading(t("profile.change_password"), size="7"),
        notice(PasswordState.saved),
        form_alert(PasswordState.error),
        form(
            rx.vstack(
                text_field(t("profile.current_password"), "current_password", errors, type="password",
                           autocomplete="current-password"),
                text_field(t("profile.new_password"), "new_password", errors, type="password",
                           autocomplete="new-password"),
                text_field(t("profile.repeat_password"), "confirm_password", errors, type="password",
                           autocomplete="new-password"),
                submit_button(t("profile.change_password"), busy=PasswordState.busy),
                spacing="3", width="100%",
            ),
            on_submit=PasswordState.submit, name="password", busy=PasswordState.busy, width="100%",
            id="password-form", key=PasswordState.successes.to_string(),
        ),
        spacing="4", class_name="narrow",
    )
