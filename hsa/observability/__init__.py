"""Metrics, structured logs and health checks (docs/operations.md, "Observability").

Only `reflex_hooks` imports Reflex: `metrics`, `logs`, `db` and `health` are used from
`hsa/services` and `hsa/api`, which must stay importable without it.
"""
