"""Example nova_core scheduler plugins: MaintenanceFilter and
PreferredAggregateWeigher (see README.md)."""
