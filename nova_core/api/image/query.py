"""``GET /v2/images`` query parameters: Glance's filters, sorting, paging.

The plugin hands back every image the caller may see; the catalogue is an
operator's list, small enough to filter and sort here, the same way for
every plugin.
"""

from nova_core.api import fault
from nova_core.api import validation

MAX_LIMIT = 1000
DEFAULT_LIMIT = 25
SORT_KEYS = ('name', 'status', 'container_format', 'disk_format', 'size',
             'id', 'created_at', 'updated_at', 'min_disk', 'min_ram',
             'visibility', 'owner')
VISIBILITIES = ('public', 'private', 'shared', 'community', 'all')
STATUSES = ('queued', 'saving', 'active', 'killed', 'deleted',
            'pending_delete', 'deactivated', 'uploading', 'importing')
# Parameters that are not property filters.
RESERVED = frozenset(('limit', 'marker', 'sort', 'sort_key', 'sort_dir',
                      'name', 'id', 'status', 'visibility', 'owner',
                      'container_format', 'disk_format', 'protected',
                      'os_hidden', 'size_min', 'size_max', 'tag',
                      'member_status', 'created_at', 'updated_at'))
_COLUMNS = ('status', 'visibility', 'owner', 'container_format',
            'disk_format')


def limit(params):
    return min(validation.int_param(params, 'limit', DEFAULT_LIMIT), MAX_LIMIT)


def _one_of(value):
    """Glance's ``in:a,b`` operator; a plain value is a list of one."""
    if value.startswith('in:'):
        return set(value[3:].split(','))
    return {value}


def _bool(name, value):
    lowered = value.lower()
    if lowered in ('true', '1', 'yes', 'on'):
        return True
    if lowered in ('false', '0', 'no', 'off'):
        return False
    raise fault.http_error(400, 'Invalid value for %s: %s' % (name, value))


def _check(params):
    if params.get('visibility', 'all') not in VISIBILITIES:
        raise fault.http_error(400, 'Invalid visibility value: %s'
                               % params['visibility'])
    if 'status' in params and params['status'] not in STATUSES:
        raise fault.http_error(400, 'Invalid status value: %s'
                               % params['status'])
    # Checked here too, not only while matching: an empty catalogue
    # refuses a bad query the same way.
    for name in ('protected', 'os_hidden'):
        if name in params:
            _bool(name, params[name])
    for name in ('size_min', 'size_max'):
        validation.int_param(params, name)


def matches(image, params, caller_project, admin=False):
    """Whether *image* passes the filters of *params*."""
    properties = image.get('properties') or {}
    visibility = params.get('visibility')
    if visibility is None:
        # Glance lists community images only when asked for, or when the
        # caller owns them (admins see everything).
        if image['visibility'] == 'community' and not admin and \
                image.get('owner') != caller_project:
            return False
    elif visibility != 'all' and image['visibility'] != visibility:
        return False
    for name in ('name', 'id'):
        if name in params and image.get(name) not in _one_of(params[name]):
            return False
    for name in _COLUMNS:
        if name != 'visibility' and name in params and \
                image.get(name) not in _one_of(params[name]):
            return False
    if 'protected' in params and \
            bool(image.get('protected')) != _bool('protected',
                                                  params['protected']):
        return False
    hidden = str(properties.get('os_hidden', '')).lower() == 'true'
    if hidden != _bool('os_hidden', params.get('os_hidden', 'false')):
        return False
    size = image.get('size')
    for name, bad in (('size_min', lambda s, v: s < v),
                      ('size_max', lambda s, v: s > v)):
        bound = validation.int_param(params, name)
        if bound is not None and (size is None or bad(size, bound)):
            return False
    if 'tag' in params:
        return False  # the catalogue has no tags
    for name, value in params.items():
        if name not in RESERVED and str(properties.get(name)) != value:
            return False
    return True


def sort_keys(params):
    """[(key, descending)] from ``sort`` or ``sort_key``/``sort_dir``."""
    if 'sort' in params:
        if 'sort_key' in params or 'sort_dir' in params:
            raise fault.http_error(
                400, 'Old and new sorting syntax cannot be combined')
        pairs = []
        for item in params['sort'].split(','):
            key, _sep, direction = item.strip().partition(':')
            pairs.append((key, direction or 'desc'))
    else:
        keys = params.getall('sort_key') or ['created_at']
        dirs = params.getall('sort_dir') or ['desc']
        if len(dirs) > 1 and len(dirs) != len(keys):
            raise fault.http_error(
                400, 'Number of sort dirs does not match the number of '
                'sort keys')
        pairs = [(key, dirs[i] if len(dirs) > 1 else dirs[0])
                 for i, key in enumerate(keys)]
    result = []
    for key, direction in pairs:
        if key not in SORT_KEYS:
            raise fault.http_error(
                400, 'Invalid sort key: %s. It must be one of the '
                'following: %s.' % (key, ', '.join(SORT_KEYS)))
        if direction not in ('asc', 'desc'):
            raise fault.http_error(400, 'Invalid sort direction: %s'
                                   % direction)
        result.append((key, direction == 'desc'))
    if 'id' not in [key for key, _desc in result]:
        # A total order, so that a marker always finds its place.
        result.append(('id', result[0][1] if result else True))
    return result


def _sort(images, keys):
    # Stable sorts from the last key to the first; None sorts first
    # ascending, as SQL NULLs do in Glance's MySQL.
    for key, descending in reversed(keys):
        images.sort(key=lambda img: (img.get(key) is not None,
                                     img.get(key) if img.get(key) is not None
                                     else 0),
                    reverse=descending)
    return images


def select(images, params, caller_project, admin=False):
    """The page of *images* that *params* ask for, and whether the page
    is full (then Glance gives a ``next`` link)."""
    _check(params)
    page_size = limit(params)
    keys = sort_keys(params)
    images = _sort([img for img in images
                    if matches(img, params, caller_project, admin)], keys)
    marker = params.get('marker')
    if marker is not None:
        ids = [img['id'] for img in images]
        if marker not in ids:
            raise fault.http_error(400, 'Marker %s could not be found.'
                                   % marker)
        images = images[ids.index(marker) + 1:]
    page = images[:page_size]
    return page, bool(page) and len(page) == page_size
