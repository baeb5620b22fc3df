"""Every form submits exactly its own named fields: no Reflex refs on form controls, each form named.

Reflex turns a control's `id` prop into a page-wide ref and overwrites the submitted values
with the refs' values; two forms of one kind on a page then submit each other's fields (the
broken Decline, Change time and Add service). `hsa.components.forms` sets ids as plain
attributes; this test fails on any control that carries a ref again.
"""

from __future__ import annotations

import pytest
import reflex as rx

from tests.e2e.form_walk import page_forms, rendered_forms

PAGES = sorted(page_forms())


@pytest.mark.parametrize("route", PAGES)
def test_no_form_control_carries_a_reflex_ref(route: str) -> None:
    for form in page_forms()[route]:
        assert form._get_form_refs() == {}, f"{route}: form fields submitted from refs {list(form._get_form_refs())}"


@pytest.mark.parametrize("route", PAGES)
def test_every_form_is_named_for_the_form_matrix(route: str) -> None:
    assert all(form.custom_attrs.get("data-form") for form in page_forms()[route])


def test_the_check_catches_a_control_with_an_id_prop() -> None:
    bad = rx.form(rx.input(id="reason", name="reason"), on_submit=rx.console_log("x"))
    assert bad._get_form_refs() != {}


def test_every_page_with_forms_was_walked() -> None:
    assert {"book", "request-edit", "job-decline", "service-new", "service-edit"} <= rendered_forms()
