"""Endpoint groups of the async client, one module each."""
