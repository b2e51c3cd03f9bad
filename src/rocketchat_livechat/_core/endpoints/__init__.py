"""Endpoint builders, one module per resource: validate arguments, return a :class:`Call`."""
