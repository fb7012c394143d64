"""The scheduler service: chooses hosts for instances (select_destinations)."""
