"""Helpers for the test suite (not part of the ``leadboard`` package)."""
