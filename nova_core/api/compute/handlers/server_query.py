"""The query string of GET /servers(/detail): which filters a caller may
use, and filtering and sorting the servers read from the cells.

As in Nova, a filter the caller may not use (an admin-only one, or one
newer than the request's microversion) is dropped silently; a parameter
nobody knows is ignored before 2.75 and refused from 2.75 (the schema);
``sort_key`` must be one Nova knows at every version.
"""

import re

from oslo_utils import strutils
from oslo_utils import timeutils

from nova_core.api.compute.handlers import common
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.schemas import servers as schema
from nova_core.api.compute import server_ops
from nova_core.api.compute import views
from nova_core.api import fault

# Filters everybody may use, and from which microversion.
_USER_FILTERS = (
    ('2.1', ('reservation_id', 'name', 'status', 'image', 'flavor', 'ip',
             'changes-since', 'all_tenants')),
    ('2.5', ('ip6',)),
    ('2.26', ('tags', 'tags-any', 'not-tags', 'not-tags-any')),
    ('2.66', ('changes-before',)),
    ('2.73', ('locked',)),
    (mv.NON_ADMIN_FILTERS, (
        'availability_zone', 'config_drive', 'key_name', 'created_at',
        'launched_at', 'terminated_at', 'power_state', 'task_state',
        'vm_state', 'progress', 'user_id')),
    (mv.HOSTNAME, ('hostname',)),
)
# Paging and sorting are not filters: always allowed.
_ALWAYS = ('limit', 'marker', 'sort_key', 'sort_dir')
# status -> the vm_states it stands for (Nova's mapping, for the states
# nova_core servers can be in).
_STATUS_STATES = {'ACTIVE': ('active',), 'BUILD': ('building',),
                  'SHUTOFF': ('stopped',), 'ERROR': ('error',),
                  'DELETED': ('deleted',)}
# Equality filters on a field of the server dict.
_EQUAL = {'host': 'host', 'node': 'node', 'user_id': 'user_id',
          'uuid': 'uuid', 'availability_zone': 'availability_zone',
          'hostname': 'hostname', 'task_state': 'task_state',
          'project_id': 'project_id', 'tenant_id': 'project_id'}
_MULTI = ('vm_state', 'power_state')
_SYSMETA = {'key_name': 'key_name', 'reservation_id': 'reservation_id'}
_TIMES = ('created_at', 'launched_at', 'terminated_at', 'updated_at',
          'deleted_at')


class Query:
    """The validated, permitted parameters of one list request."""

    def __init__(self, req, admin):
        version = req.microversion
        strict = version.matches(mv.STRICT_QUERY)
        common.query(req, schema.QUERY_V275 if strict else schema.QUERY)
        self.multi = {k: req.GET.getall(k) for k in set(req.GET.keys())}
        allowed = set(_ALWAYS)
        for since, names in _USER_FILTERS:
            if version.matches(since):
                allowed.update(names)
        params = {k: v[-1] for k, v in self.multi.items()}
        if not admin:
            # Nova drops what a non-admin may not filter on.
            params = {k: v for k, v in params.items() if k in allowed}
        self.params = params
        self.admin = admin
        self.all_tenants = self._all_tenants()
        self.since = self._time('changes-since')
        self.before = self._time('changes-before')
        if self.since and self.before and self.since > self.before:
            raise fault.http_error(
                400, 'The value of changes-since must be less than or equal '
                'to changes-before.')
        self.sort = self._sort_keys(version)

    def _all_tenants(self):
        if 'all_tenants' not in self.params:
            return False
        value = self.params['all_tenants']
        if value == '':
            return True     # a bare ?all_tenants
        try:
            return strutils.bool_from_string(value, strict=True)
        except ValueError as exc:
            raise fault.http_error(400, 'Invalid input received: %s' % exc)

    def _time(self, name):
        if name not in self.params:
            return None
        value = self.params[name]
        try:
            return timeutils.normalize_time(timeutils.parse_isotime(value))
        except ValueError:
            raise fault.http_error(
                400, "Invalid input for query parameters %s. Value: %s. "
                "'%s' is not a 'date-time'" % (name, value, value))

    def _sort_keys(self, version):
        keys = self.multi.get('sort_key', [])
        dirs = self.multi.get('sort_dir', [])
        for key in keys:
            if key not in schema.SORT_KEYS and key not in (
                    schema.IGNORED_SORT_KEYS):
                raise fault.http_error(
                    400, "Invalid input for query parameters sort_key. "
                    "Value: %s. '%s' is not one of the server sort keys"
                    % (key, key))
        for direction in dirs:
            if direction not in ('asc', 'desc'):
                raise fault.http_error(
                    400, "Invalid input for query parameters sort_dir. "
                    "Value: %s. '%s' is not one of ['asc', 'desc']"
                    % (direction, direction))
        pairs = []
        for index, key in enumerate(keys):
            direction = dirs[index] if index < len(dirs) else (
                dirs[0] if dirs else 'desc')
            if key in schema.IGNORED_SORT_KEYS:
                continue
            if key in ('host', 'node') and not self.admin:
                continue    # Nova ignores them for non-admins
            pairs.append((key, direction))
        return pairs or [('created_at', 'desc')]

    @property
    def deleted(self):
        """What the cells are asked for: live only (False), or both (None)
        when deleted servers may match (changes-since, an admin's
        ``deleted`` / ``status=deleted``)."""
        if self.since is not None or self.before is not None:
            return None
        if self.admin:
            if strutils.bool_from_string(self.params.get('deleted')):
                return None
            if 'DELETED' in self._statuses():
                return None
        return False

    def _statuses(self):
        if 'status' not in self.params:
            return set()
        return {s.upper() for s in self.multi['status']}

    def filter(self, servers):
        params = self.params
        if 'name' in params:
            try:
                pattern = re.compile(params['name'])
            except re.error:
                pattern = re.compile(re.escape(params['name']))
            servers = [s for s in servers
                       if pattern.search(s.get('display_name') or '')]
        statuses = self._statuses()
        if statuses:
            servers = [s for s in servers if s.get('status') in statuses]
        if self.admin and 'deleted' in params:
            deleted = strutils.bool_from_string(params['deleted'])
            servers = [s for s in servers
                       if bool(s.get('deleted')) == deleted]
        for name, version in (('ip', 4), ('ip6', 6)):
            # Nova's: a regular expression on the server's addresses.
            if name in params:
                try:
                    pattern = re.compile(params[name])
                except re.error:
                    pattern = re.compile(re.escape(params[name]))
                servers = [s for s in servers if any(
                    vif['version'] == version and
                    pattern.search(vif['address'])
                    for vif in s.get('network_info') or ())]
        if 'image' in params:
            image = params['image'].rstrip('/').rsplit('/', 1)[-1]
            servers = [s for s in servers if s.get('image_ref') == image]
        if 'flavor' in params:
            flavor = params['flavor'].rstrip('/').rsplit('/', 1)[-1]
            servers = [s for s in servers
                       if (s.get('flavor') or {}).get('flavorid') == flavor]
        for name, key in _EQUAL.items():
            if name in params and (name not in ('project_id', 'tenant_id')
                                   or self.all_tenants):
                servers = [s for s in servers if s.get(key) == params[name]]
        for name in _MULTI:
            if name in params:
                wanted = set(self.multi[name])
                servers = [s for s in servers if str(s.get(name)) in wanted]
        for name, key in _SYSMETA.items():
            if name in params:
                servers = [s for s in servers if (
                    s.get('system_metadata') or {}).get(key) == params[name]]
        for name in ('created_at', 'launched_at', 'terminated_at'):
            if name in params:
                wanted = views.isotime(params[name])
                servers = [s for s in servers
                           if views.isotime(s.get(name)) == wanted]
        # nova_core servers have no tags, no config drive and no lock yet.
        for name in ('tags', 'tags-any'):
            if name in params:
                servers = []
        for name in ('locked', 'config_drive'):
            if name in params and strutils.bool_from_string(params[name]):
                servers = []
        if self.since is not None or self.before is not None:
            servers = [s for s in servers if self._in_window(s)]
        return servers

    def _in_window(self, server):
        changed = _time_of(server.get('updated_at') or
                           server.get('created_at'))
        if changed is None:
            return False
        if self.since is not None and changed < self.since:
            return False
        return self.before is None or changed <= self.before

    def sorted(self, servers):
        # Stable sorts, least significant key first.
        for key, direction in reversed(self.sort):
            present = [s for s in servers if _sort_value(s, key) is not None]
            missing = [s for s in servers if _sort_value(s, key) is None]
            present.sort(key=lambda s, k=key: _sort_value(s, k),
                         reverse=direction == 'desc')
            # Nova sorts NULLs first ascending, last descending.
            servers = (missing + present if direction == 'asc'
                       else present + missing)
        return servers


def _time_of(value):
    if value in (None, ''):
        return None
    if isinstance(value, str):
        try:
            value = timeutils.parse_isotime(value)
        except ValueError:
            return None
    if value.tzinfo is not None:
        value = timeutils.normalize_time(value)
    return value


def _sort_value(server, key):
    if key in _TIMES:
        return views.isotime(server.get(key))
    if key == 'display_description':
        return (server.get('system_metadata') or {}).get(
            server_ops.DESCRIPTION_KEY)
    if key == 'key_name':
        return (server.get('system_metadata') or {}).get('key_name')
    value = server.get(key)
    if key in ('launch_index', 'power_state', 'progress'):
        return value if value is None else int(value)
    return value if value is None else str(value)
