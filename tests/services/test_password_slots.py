"""bcrypt slots: bounded in total, one per client address, and a clear 'busy' instead of a queue without end."""

from __future__ import annotations

import threading
import time

import pytest

from hsa.services import passwords


def test_one_address_holds_one_slot_and_others_still_get_theirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """While an attacker's address is hashing, a second attempt from it waits; another address does not."""
    monkeypatch.setenv("HSA_BCRYPT_WORKERS", "2")  # a bigger machine: the default 1 slot is checked below
    hashed = passwords.hash_password("Sturdy-Pass-42")
    started = threading.Event()
    release = threading.Event()
    real = passwords.bcrypt.checkpw

    def slow_for_attacker(password: bytes, digest: bytes) -> bool:
        if password == b"attacker":
            started.set()
            release.wait(5)
        return real(password, digest)

    monkeypatch.setattr(passwords.bcrypt, "checkpw", slow_for_attacker)
    first = threading.Thread(target=passwords.verify_password, args=("attacker", hashed),
                             kwargs={"source": "198.51.100.1"})
    first.start()
    try:
        assert started.wait(5)
        began = time.monotonic()
        with pytest.raises(passwords.Busy):  # the same address, while its first attempt still hashes
            passwords.verify_password("attacker", hashed, source="198.51.100.1")
        assert 0.9 <= time.monotonic() - began < 2.5
        assert passwords.verify_password("Sturdy-Pass-42", hashed, source="203.0.113.5")  # not held up
    finally:
        release.set()
        first.join(5)
    assert passwords._per_source == {}  # nothing kept per address once it is done


def test_every_slot_taken_means_busy_not_an_endless_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSA_BCRYPT_WORKERS", "1")
    monkeypatch.setattr(passwords, "SLOT_WAIT_SECONDS", 0.3)
    slot = passwords._slot()
    assert slot.acquire(timeout=1)
    try:
        with pytest.raises(passwords.Busy, match="busy"):
            passwords.verify_password("whatever-1", passwords.dummy_hash(), source="203.0.113.9")
    finally:
        slot.release()
