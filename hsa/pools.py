"""Threads for work that is slow on purpose, kept apart from the threads every other event uses.

Sign-in and sign-up hash a password (~0.25 s of a core at bcrypt cost 12). A burst of them on
the shared default pool made every other visitor's events wait behind the hashing; here they
queue on their own few threads, and `passwords` caps how many hash at once. The web handlers
and the API both use it, so the rule is in one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

SIGN_IN_THREADS = 8  # most of them wait (for a bcrypt slot, or behind their own address's attempt)
_sign_in = ThreadPoolExecutor(max_workers=SIGN_IN_THREADS, thread_name_prefix="hsa-sign-in")


async def run_sign_in(fn: Callable[[], T]) -> T:
    """Run `fn` (which hashes or checks a password) on the sign-in threads."""
    return await asyncio.get_running_loop().run_in_executor(_sign_in, fn)
