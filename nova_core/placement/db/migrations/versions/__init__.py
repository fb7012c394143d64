"""Alembic revisions of the placement database, oldest first."""
