"""Conductor workflows, one module per workflow (build, reschedule) plus their records."""
