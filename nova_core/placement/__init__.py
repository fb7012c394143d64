"""The placement service: resource providers, inventories, allocations, candidates."""
