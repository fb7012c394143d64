"""Placement's objects layer: the only code that reads and writes its tables.

One noun per module. Functions take a RequestContext (whose ``db`` is the
placement database) and plain values, never HTTP or microversions.
"""
