"""Reflex app entry point."""

import reflex as rx

import hsa.models  # noqa: F401 - tables registered before anything touches the DB
import hsa.pages  # noqa: F401 - pages register themselves via @template

app = rx.App(stylesheets=["/styles.css"])
