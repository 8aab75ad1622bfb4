"""Keeping bulk work fast."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects at once.

    A 100k-unit model allocates millions of objects; the collector's generational passes over
    them cost more than the build itself (measured: load 1.9 s with it, 1.05 s without). Nothing
    built here forms reference cycles, so pausing loses no memory."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
