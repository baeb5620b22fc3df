"""Work the app does on its own: the reminder pass, once a minute, in every worker.

Several workers may run it at once: `reminders_sent` has a unique (kind, key), so a reminder
is recorded, notified and mailed exactly once whichever worker gets there first.
"""

from __future__ import annotations

import asyncio
import logging
import os

from hsa.services.reminders import run_reminders_once

log = logging.getLogger(__name__)

REMINDER_SECONDS = float(os.environ.get("HSA_REMINDER_INTERVAL_SECONDS", "60"))


async def reminders_loop() -> None:
    """Reflex lifespan task (cancelled at shutdown); the pass runs in a thread, off the event loop."""
    if REMINDER_SECONDS <= 0:
        return
    while True:
        try:
            sent = await asyncio.to_thread(run_reminders_once)
            if sent:
                log.info("sent %d reminders", sent)
        except Exception:  # a failing pass (mail server down, DB busy) must not end the loop
            log.exception("reminder pass failed")
        await asyncio.sleep(REMINDER_SECONDS)
