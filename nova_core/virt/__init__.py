"""Virt drivers: the ComputeDriver contract (driver.py) and its implementations."""
