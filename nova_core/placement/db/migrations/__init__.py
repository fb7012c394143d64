"""Alembic migrations of the placement database."""
