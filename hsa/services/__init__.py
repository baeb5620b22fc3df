"""Use cases. Every rule and permission check lives here; no reflex, fastapi or plotly imports."""

from hsa.services import changes as _changes  # noqa: F401 - registers the change-topic listeners
from hsa.services import geo as _geo  # noqa: F401 - keeps users.lat/lon in step with their pincode
