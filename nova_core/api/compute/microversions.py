"""The compute API's microversion range and the versions that change it.

``MAX_VERSION`` is the highest microversion whose request and response
shapes nova_core honours for the routes it implements.
"""

SERVICE_TYPE = 'compute'
LEGACY_HEADER = 'X-OpenStack-Nova-API-Version'
MIN_VERSION = '2.1'
MAX_VERSION = '2.75'

# Versions that change shapes (used by views and handlers).
EMBEDDED_FLAVOR = '2.47'
FLAVOR_DESCRIPTION = '2.55'
FLAVOR_EXTRA_SPECS = '2.61'
SERVER_GROUPS = '2.71'
STRICT_QUERY = '2.75'
