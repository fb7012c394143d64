"""WSGI entry points: one module per deployable app, each with ``application``."""
