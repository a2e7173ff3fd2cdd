"""Helpers for the worker processes precedent starts (index analysis, reading a large memory)."""

from __future__ import annotations


def die_with_parent() -> None:
    """A worker ends when its parent does, even when the parent is killed (Linux)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
