"""Query strings of /limits (Nova's)."""

# ``reserved`` is what the clients send (``openstack limits show
# --reserved``); there are no reservations, so it changes nothing.
_PROPS = {'tenant_id': {}, 'reserved': {}}
QUERY = {'type': 'object', 'properties': _PROPS,
         'additionalProperties': True}
# 2.75: unknown parameters are refused.
QUERY_V275 = {'type': 'object', 'properties': _PROPS,
              'additionalProperties': False}
