"""The compute API's microversion range and the versions that change it.

``MAX_VERSION`` is the highest microversion whose request and response
shapes nova_core honours for the routes it implements.
"""

SERVICE_TYPE = 'compute'
LEGACY_HEADER = 'X-OpenStack-Nova-API-Version'
MIN_VERSION = '2.1'
MAX_VERSION = '2.90'

# Versions that change shapes (used by views and handlers).
SERVICE_FORCED_DOWN = '2.11'
HYPERVISOR_CPU_INFO_OBJECT = '2.28'
HYPERVISOR_PAGING = '2.33'
AGGREGATE_UUID = '2.41'
SERVICE_UUIDS = '2.53'  # services and hypervisors by uuid
HYPERVISOR_NO_STATS = '2.88'
# The last versions of routes that later ones remove.
LAST_WITH_HYPERVISOR_SEARCH = '2.52'
LAST_WITH_HYPERVISOR_STATS = '2.87'
HOST_STATUS = '2.16'
SERVER_DESCRIPTION = '2.19'
DELETED_ACTIONS = '2.21'
EMBEDDED_FLAVOR = '2.47'
ACTION_EVENTS_ALWAYS = '2.51'
FLAVOR_DESCRIPTION = '2.55'
ACTION_PAGING = '2.58'
FLAVOR_EXTRA_SPECS = '2.61'
EVENT_HOST = '2.62'
CHANGES_BEFORE = '2.66'
DOWN_CELLS = '2.69'
SERVER_GROUPS = '2.71'
STRICT_QUERY = '2.75'
SERVER_TOPOLOGY = '2.78'
NON_ADMIN_FILTERS = '2.83'
EVENT_DETAILS = '2.84'
EXTRA_SPEC_VALIDATION = '2.86'
HOSTNAME = '2.90'
