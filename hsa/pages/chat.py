"""A booking's conversation (customer and professional), and support's read-only view of a reported one."""

import reflex as rx

from hsa import routes
from hsa.components.forms import TAP, form, form_alert, notice, select_field, submit_button, text_area
from hsa.components.layout import template
from hsa.components.requests import hidden
from hsa.state.chat import REASON_CHOICES, AdminChatState, ChatState, MessageRow
from hsa.state.locale import t, tf


def _report_form(message_id: rx.Var | int) -> rx.Component:
    s = ChatState
    return form(
        rx.vstack(
            hidden("message_id", message_id),
            select_field(t("chat.why_report"), "reason", s.errors, static=[(v, t(key)) for v, key in REASON_CHOICES],
                         field_id="reason-" + rx.Var.create(message_id).to_string()),
            text_area(t("chat.what_happened"), "details", s.errors,
                      field_id="details-" + rx.Var.create(message_id).to_string()),
            submit_button(t("chat.send_report"), busy=s.busy, color_scheme="red"),
            spacing="2", width="100%"),
        on_submit=s.report, name="chat-report", busy=s.busy, width="100%",
        id="report-form-" + rx.Var.create(message_id).to_string(),
    )


def _bubble(m: MessageRow) -> rx.Component:
    s = ChatState
    return rx.box(
        rx.vstack(
            rx.text(rx.cond(m.mine, t("chat.you"), m.sender), " · ", m.when, size="1", color_scheme="gray"),
            rx.text(m.body, white_space="pre-wrap", class_name="chat-body"),
            rx.cond(m.masked, rx.text(t("chat.masked"), size="1",
                                      color_scheme="gray")),
            rx.cond(m.mine, rx.cond(m.read, rx.text(t("chat.seen"), size="1", color_scheme="green", class_name="seen")),
                    rx.button(t("chat.report"), variant="ghost", size="1", color_scheme="gray", min_height=TAP,
                              on_click=s.show_report(m.id), id="report-" + m.id.to_string())),
            rx.cond(s.reporting == m.id, _report_form(m.id)),
            spacing="1", width="100%"),
        class_name=rx.cond(m.mine, "chat-message mine", "chat-message theirs"), id="msg-" + m.id.to_string(),
    )


@template(route=routes.CHAT, title="chat.title", on_load=ChatState.load)
def chat_page() -> rx.Component:
    s = ChatState
    return rx.vstack(
        rx.heading(rx.cond(s.other_name != "", tf("chat.messages_with", name=s.other_name), t("chat.title")), size="7"),
        rx.text(s.title, size="2", color_scheme="gray"),
        notice(s.notice),
        form_alert(s.error),
        rx.cond(s.loaded, rx.vstack(
            rx.text(t("chat.keep_on_platform"), size="2"),
            rx.cond(s.messages.length() > 0,
                    rx.vstack(rx.foreach(s.messages, _bubble), spacing="2", width="100%", id="messages",
                              role="log", aria_live="polite"),
                    rx.text(t("chat.no_messages"), id="messages")),
            rx.box(id="chat-end"),
            rx.cond(s.writable, form(
                rx.vstack(
                    text_area(t("chat.your_message"), "body", s.errors, max_length=1000, required=True),
                    submit_button(t("chat.send"), busy=s.busy),
                    spacing="2", width="100%"),
                on_submit=s.send, name="chat-send", busy=s.busy, width="100%", id="chat-form",
                idempotency_key=s.submit_key, key=s.successes.to_string(),
            ), rx.callout(t("chat.closed"), icon="lock", color_scheme="gray", id="chat-closed")),
            rx.hstack(rx.button(t("chat.report_person"), variant="soft", color_scheme="red", size="3", min_height=TAP,
                                on_click=s.show_report(0), id="report-person"),
                      rx.link(t("chat.back"), href=routes.INDEX, id="back"), wrap="wrap", spacing="3",
                      align="center"),
            rx.cond(s.reporting == 0, _report_form(0)),
            spacing="3", width="100%",
        ), rx.cond(s.error == "", rx.spinner(size="3"))),
        spacing="4", class_name="narrow", id="chat-page",
    )


def _admin_bubble(m: MessageRow) -> rx.Component:
    return rx.box(rx.text(m.sender, " · ", m.when, size="1", color_scheme="gray"),
                  rx.text(m.body, white_space="pre-wrap"), class_name="chat-message theirs")


@template(route=routes.ADMIN_CHAT, title="chat.admin_title", on_load=AdminChatState.load)
def admin_chat_page() -> rx.Component:
    s = AdminChatState
    return rx.vstack(
        rx.heading(t("chat.admin_title"), size="7"),
        rx.text(s.title, size="2", color_scheme="gray"),
        rx.text(t("chat.admin_audited"), size="2"),
        form_alert(s.error),
        rx.cond(s.loaded, rx.vstack(rx.foreach(s.messages, _admin_bubble), spacing="2", width="100%")),
        rx.link(t("chat.admin_back"), href=routes.ADMIN_REPORTS),
        spacing="4", width="100%", id="admin-chat",
    )
