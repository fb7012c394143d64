"""The compute API as a library: what the REST API of servers calls."""
