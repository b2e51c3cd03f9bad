"""End-to-end tests, written once as async code; ``scripts/unasync.py`` generates ``../_sync``."""
