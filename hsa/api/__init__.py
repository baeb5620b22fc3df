"""HTTP entrypoints mounted beside the Reflex app (thin: parse -> service -> map errors)."""
