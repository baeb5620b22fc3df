"""Apply Alembic migrations programmatically (CLI, serve script, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from hsa.settings import ROOT


def alembic_config() -> Config:
    """Config pointing at the repository's migrations folder, wherever we run from."""
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


def upgrade_to_head() -> None:
    """Bring the configured database (HSA_DATABASE_URL) to the newest schema."""
    command.upgrade(alembic_config(), "head")
