""""Download my data" on the profile page: what the archive holds, the bar while it is made, the links."""

from __future__ import annotations

import reflex as rx

from hsa.components.downloads import download_link
from hsa.components.forms import TAP, form_alert
from hsa.state.locale import t, tf
from hsa.state.my_data import MyDataState


def my_data_card() -> rx.Component:
    s, a = MyDataState, MyDataState.archive
    return rx.card(rx.vstack(
        rx.heading(t("account.data_title"), size="4", as_="h2"),
        rx.text(t("account.data_intro"), size="2"),
        form_alert(s.error),
        rx.cond(a.state == "running", rx.vstack(
            rx.progress(value=a.percent, max=100, width="100%", id="archive-progress",
                        aria_label=t("account.data_preparing"), aria_valuetext=a.percent.to_string() + " %"),
            rx.text(tf("account.data_running", progress=a.progress), size="2", id="archive-status",
                    aria_live="polite"),
            spacing="2", width="100%")),
        rx.cond(a.state == "done", rx.vstack(
            rx.text(tf("account.data_ready", expires=a.expires), size="2", id="archive-status", aria_live="polite"),
            rx.hstack(
                download_link(t("account.data_json"), a.json_url, link_id="archive-json",
                              aria_label=t("account.data_json_aria")),
                download_link(t("account.data_html"), a.html_url, link_id="archive-html",
                              aria_label=t("account.data_html_aria")),
                spacing="4", wrap="wrap"),
            spacing="2", width="100%")),
        rx.button(rx.cond(a.state == "done", t("account.data_fresh"), t("account.data_prepare")), on_click=s.prepare,
                  loading=s.preparing, disabled=s.preparing, size="3", variant="soft", min_height=TAP,
                  id="archive-start"),
        spacing="3", width="100%"), width="100%", id="my-data")
