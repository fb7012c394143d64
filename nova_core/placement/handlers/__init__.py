"""Placement's HTTP handlers, one noun per module: ``handler(req) -> Response``."""
