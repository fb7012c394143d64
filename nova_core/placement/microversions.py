"""The microversions of the placement API (what each one added: see docs)."""

SERVICE_TYPE = 'placement'
MIN_VERSION = '1.0'
MAX_VERSION = '1.39'
