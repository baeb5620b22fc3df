"""Use cases. Every rule and permission check lives here; no reflex, fastapi or plotly imports."""
