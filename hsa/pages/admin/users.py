"""Admin users page: search accounts and block, unblock or delete them (with a reason)."""

import reflex as rx

from hsa import routes
from hsa.components.admin import filter_select, pager
from hsa.components.forms import TAP, form, form_alert, notice, submit_button, text_field
from hsa.components.layout import template
from hsa.components.requests import hidden
from hsa.state.admin.users import AdminUsersState
from hsa.state.locale import t, tf


def _role(role: rx.Var) -> rx.Component:
    """A role (a technical value) in words."""
    return rx.match(role, ("customer", t("admin_users.badge_customer")),
                    ("professional", t("admin_users.badge_professional")), ("admin", t("admin_users.badge_admin")),
                    role)


def _status(status: rx.Var) -> rx.Component:
    return rx.match(status, ("active", t("admin_users.badge_active")), ("blocked", t("admin_users.badge_blocked")),
                    ("deleted", t("admin_users.badge_deleted")), status)


def _user_row(u: rx.Var) -> rx.Component:
    """One account with its actions; each action opens its own form asking for a reason."""
    s = AdminUsersState
    key = u.id.to_string()
    return rx.card(rx.vstack(
        rx.hstack(rx.text(u.full_name, weight="bold"), rx.badge(_role(u.role), size="2"),
                  rx.badge(_status(u.status), size="2", color_scheme=rx.match(u.status, ("blocked", "red"),
                                                                              ("deleted", "gray"), "green")),
                  spacing="2", wrap="wrap"),
        rx.text(u.email, " · ", u.phone, " · ", u.pincode, " · ", tf("admin_users.joined", date=u.joined), size="2",
                color_scheme="gray"),
        rx.cond(u.role != "admin", rx.hstack(
            rx.cond(u.status == "active", rx.button(t("admin_users.block"), on_click=s.show_form(key + ":block"),
                                                    size="3", color_scheme="red", variant="soft", min_height=TAP,
                                                    id="block-" + key)),
            rx.cond(u.status == "blocked", rx.button(t("admin_users.unblock"),
                                                     on_click=s.show_form(key + ":unblock"), size="3",
                                                     variant="soft", min_height=TAP, id="unblock-" + key)),
            rx.cond(u.status != "deleted", rx.button(t("admin_users.delete"), on_click=s.show_form(key + ":delete"),
                                                     size="3", color_scheme="red", min_height=TAP,
                                                     id="delete-" + key)),
            spacing="2", wrap="wrap")),
        *[rx.cond(s.open_form == key + ":" + action, form(rx.vstack(
            hidden("user_id", u.id), hidden("action", action),
            text_field(t("admin_users.reason"), "reason", s.errors, max_length=500,
                       field_id=action + "-reason-" + key),
            text_field(t("admin_users.type_delete"), "confirm", s.errors, field_id="delete-confirm-" + key)
            if action == "delete" else rx.fragment(),
            submit_button(label, busy=s.busy), width="100%"), on_submit=s.act, name="user-" + action, busy=s.busy,
            width="100%"))
          for action, label in (("block", t("admin_users.block_account")),
                                ("unblock", t("admin_users.unblock_account")),
                                ("delete", t("admin_users.delete_account")))],
        spacing="2", align="start", width="100%",
    ), width="100%", id="user-" + key)


@template(route=routes.ADMIN_USERS, title="admin_users.title", on_load=AdminUsersState.load)
def admin_users() -> rx.Component:
    """Search accounts by name, role, status or pincode, a page at a time."""
    s = AdminUsersState
    return rx.vstack(
        rx.heading(t("admin_users.title"), size="7"),
        form(rx.vstack(
            text_field(t("admin_users.query"), "q", s.errors, required=False),
            rx.hstack(
                filter_select("role", t("admin_users.role"), [
                    ("", t("admin_users.any_role")), ("customer", t("admin_common.customer")),
                    ("professional", t("admin_common.professional")), ("admin", t("admin_users.admin"))]),
                filter_select("status", t("admin_common.status"), [
                    ("", t("admin_common.any_status")), ("active", t("admin_users.active")),
                    ("blocked", t("admin_users.blocked")), ("deleted", t("admin_users.deleted"))]),
                width="100%", wrap="wrap"),
            text_field(t("admin_common.pincode"), "pincode", s.errors, required=False, max_length=8,
                       input_mode="numeric"),
            submit_button(t("admin_users.search"), busy=s.busy), width="100%"), on_submit=s.search, name="user-search",
            busy=s.busy, width="100%", id="user-search"),
        notice(s.notice), form_alert(s.error),
        rx.vstack(rx.foreach(s.users, _user_row), width="100%", id="user-list"),
        pager(s),
        spacing="4", width="100%", id="admin-users",
    )
