""""Download my data" on the profile page: what the archive holds, the bar while it is made, the links."""

from __future__ import annotations

import reflex as rx

from hsa.components.downloads import download_link
from hsa.components.forms import TAP, form_alert
from hsa.state.my_data import MyDataState


def my_data_card() -> rx.Component:
    s, a = MyDataState, MyDataState.archive
    return rx.card(rx.vstack(
        rx.heading("Download my data", size="4", as_="h2"),
        rx.text("A copy of everything HomeServe keeps about you: your profile, bookings, payments, reviews you gave "
                "and received, chat messages, notifications, sign-ins and consents. You get a JSON file (to move it "
                "to another service) and a page you can read; the links work for 24 hours.", size="2"),
        form_alert(s.error),
        rx.cond(a.state == "running", rx.vstack(
            rx.progress(value=a.percent, max=100, width="100%", id="archive-progress",
                        aria_label="Preparing your data", aria_valuetext=a.percent.to_string() + " %"),
            rx.text("Preparing your data: ", a.progress, ". You may leave this page; it will be ready when you "
                    "come back.", size="2", id="archive-status", aria_live="polite"),
            spacing="2", width="100%")),
        rx.cond(a.state == "done", rx.vstack(
            rx.text("Your data is ready. The links work until ", a.expires, ".", size="2", id="archive-status",
                    aria_live="polite"),
            rx.hstack(
                download_link("Download (JSON)", a.json_url, link_id="archive-json",
                              aria_label="Download my data as JSON"),
                download_link("Download (readable page)", a.html_url, link_id="archive-html",
                              aria_label="Download my data as a readable page (HTML)"),
                spacing="4", wrap="wrap"),
            spacing="2", width="100%")),
        rx.button(rx.cond(a.state == "done", "Prepare a fresh copy", "Prepare my data"), on_click=s.prepare,
                  loading=s.preparing, disabled=s.preparing, size="3", variant="soft", min_height=TAP,
                  id="archive-start"),
        spacing="3", width="100%"), width="100%", id="my-data")
