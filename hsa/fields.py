"""Form field names shared by the rendered pages and the handlers that read them (one place)."""

IDEMPOTENCY_FIELD = "idempotency_key"  # hidden in every state-changing form; see hsa/state/forms.py
