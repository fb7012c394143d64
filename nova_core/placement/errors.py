"""Placement's error codes and the one table that maps domain exceptions to HTTP.

Error codes are part of the wire contract (microversion 1.23 and later put
them in every error body); clients such as nova's report client branch on
``placement.concurrent_update``. They never change once published.
"""

from oslo_middleware import request_id
import webob.exc

from nova_core.api import fault
from nova_core.api import microversion
from nova_core.api import wsgi
from nova_core import exception

DEFAULT = 'placement.undefined_code'
INVENTORY_INUSE = 'placement.inventory.inuse'
CONCURRENT_UPDATE = 'placement.concurrent_update'
DUPLICATE_NAME = 'placement.duplicate_name'
PROVIDER_IN_USE = 'placement.resource_provider.inuse'
PROVIDER_CANNOT_DELETE_PARENT = (
    'placement.resource_provider.cannot_delete_parent')
RESOURCE_PROVIDER_NOT_FOUND = 'placement.resource_provider.not_found'
ILLEGAL_DUPLICATE_QUERYPARAM = 'placement.query.duplicate_key'
QUERYPARAM_BAD_VALUE = 'placement.query.bad_value'
QUERYPARAM_MISSING_VALUE = 'placement.query.missing_value'

# The first microversion whose error bodies carry 'code'.
ERROR_CODE_VERSION = (1, 23)

TABLE = fault.ErrorTable(fault.category_entries() + [
    # The most specific class wins.
    (exception.ConcurrentUpdateDetected, 409, CONCURRENT_UPDATE),
    (exception.ResourceProviderDuplicate, 409, DUPLICATE_NAME),
    (exception.ResourceProviderInUse, 409, PROVIDER_IN_USE),
    (exception.CannotDeleteParentResourceProvider, 409,
     PROVIDER_CANNOT_DELETE_PARENT),
    (exception.InventoryInUse, 409, INVENTORY_INUSE),
    (exception.ResourceClassInUse, 409, None),
    (exception.TraitInUse, 409, None),
], default_code=DEFAULT)


def json_formatter(body, status, title, environ):
    """Placement's JSON error body (the API-WG errors guideline).

    ``{"errors": [{"status", "title", "detail", "code", "request_id"}]}``;
    ``code`` from 1.23; a 406 from version negotiation also gives the
    supported range.
    """
    status_code = fault.status_code(status)
    error = {
        'status': status_code,
        'title': title,
        'detail': webob.exc.strip_tags(body),
    }
    version = environ.get(wsgi.ENV_MICROVERSION)
    if version is not None and version.matches(ERROR_CODE_VERSION):
        error['code'] = environ.get(fault.ENV_ERROR_CODE) or DEFAULT
    if request_id.ENV_REQUEST_ID in environ:
        error['request_id'] = environ[request_id.ENV_REQUEST_ID]
    if status_code == 406 and version is None:
        low, high = environ.get(microversion.ENV_VERSION_RANGE, (None, None))
        if high is not None:
            error['max_version'] = str(high)
            error['min_version'] = str(low)
    return {'errors': [error]}
