"""Hand-written async drivers; ``_sync/`` is generated from this package by scripts/unasync.py."""
