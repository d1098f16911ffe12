"""A miss is drawn once per key, however many requests ask for it at the same moment.

Right after a publish every visitor asks for the same few new views at once; drawing each of them once
per request would take every core for the same answer. The first request to miss a key takes its lock
(Redis ``SET NX PX``, shared by every worker and instance; within a worker, a striped lock) and draws it;
the others wait and re-read the tiers, and draw themselves only if the holder is slow or gone (a worker
killed mid-render leaves its lock until it expires).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from dashboard.web.fastcache.tiers import Stored, Tiers
from dashboard.web.missgate import Slot

#: How long a render may hold its Redis lock, and how long the others wait for it before rendering.
#: A worker killed mid-render leaves its lock until it expires: every request for that view waits the
#: full WAIT_S (a crashed instance made the other one stall 10 s per request with 10 s), so WAIT_S is a
#: little above a slow render; past it a second render is cheaper than a stalled crowd.
LOCK_MS = 10_000
WAIT_S = 2.5
POLL_S = 0.02


@dataclass
class Pending:
    """A miss this request renders: released when its answer is stored (or the request fails)."""

    key: str
    token: str | None
    stripe: threading.Lock | None
    slot: Slot | None = None


class SingleFlight:
    """The per-key locks of one worker's misses, in front of the tiers' shared locks."""

    def __init__(self, tiers: Tiers, stripes: int = 64):
        self.tiers = tiers
        self._stripes = [threading.Lock() for _ in range(stripes)]

    def wait_or_take(self, key: str) -> Stored | Pending:
        """A miss: the answer another thread or worker rendered meanwhile, or a ``Pending`` when this
        request is to render it (then it holds the key's locks until ``release``).

        With Redis its per-key lock is the single flight and the per-process stripe is only tried: a
        stripe is shared by many keys, and a flood of new keys waiting on stripes held by the misses being
        drawn held every thread of a worker (hits waited ~2 s)."""
        stripe = self._stripes[hash(key) % len(self._stripes)]
        if stripe.acquire(timeout=WAIT_S if self.tiers.redis() is None else 0):
            stored = self.tiers.local(key)
            if stored is not None:
                stripe.release()
                return stored
        else:
            stripe = None
        token = secrets.token_hex(8)
        deadline = time.monotonic() + WAIT_S
        while True:
            owned = self.tiers.lock(key, token, LOCK_MS)
            if owned is not False:  # ours, or no Redis to share a lock through
                break
            stored = self._wait_for_holder(key, deadline)
            if stored is not None:
                if stripe is not None:
                    stripe.release()
                return stored
            if time.monotonic() >= deadline:  # the holder is slow or dead: render anyway
                token = None
                break
        return Pending(key, token if owned else None, stripe)

    def _wait_for_holder(self, key: str, deadline: float) -> Stored | None:
        """Poll until the holder's answer is stored (returned), its lock is gone, or ``deadline``."""
        while time.monotonic() < deadline:
            time.sleep(POLL_S)
            stored = self.tiers.get(key)
            if stored is not None:
                return stored
            if not self.tiers.locked(key):
                return None
        return None

    def release(self, pending: Pending) -> None:
        """Release a miss's miss slot, its Redis lock (if still ours) and its stripe."""
        if pending.slot is not None:
            pending.slot.release()
            pending.slot = None
        if pending.token is not None:
            self.tiers.unlock(pending.key, pending.token)
            pending.token = None
        if pending.stripe is not None:
            pending.stripe.release()
            pending.stripe = None
