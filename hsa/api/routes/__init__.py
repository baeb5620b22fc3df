"""Thin routers: parse -> service -> response. Errors become problem+json in hsa.api.problems."""
