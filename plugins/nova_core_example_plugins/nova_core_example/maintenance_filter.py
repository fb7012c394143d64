"""MaintenanceFilter: no new instance on a host under maintenance.

A host is under maintenance when its name matches one of the patterns of
``[maintenance] hosts`` (shell-style: ``rack2-*``), or when one of its host
aggregates has the metadata key ``[maintenance] aggregate_key`` (default
``maintenance``) set to anything but an empty or false value; that value is
shown as the reason, so an operator can write why::

    openstack aggregate set --property maintenance="PSU swap until 18:00" rack2

A rebuild keeps an instance on its own host, so the filter does not run
for rebuilds (``RUN_ON_REBUILD = False``).
"""

import fnmatch

from oslo_config import cfg

from nova_core.scheduler import filters

from nova_core_example import _options

GROUP = cfg.OptGroup(
    'maintenance', title='MaintenanceFilter',
    help='Hosts that take no new instance (the MaintenanceFilter plugin).')

OPTS = [
    cfg.ListOpt(
        'hosts', default=[],
        help='Host names (shell patterns such as rack2-*) under maintenance.'),
    cfg.StrOpt(
        'aggregate_key', default='maintenance',
        help='Aggregate metadata key putting the hosts of the aggregate '
             'under maintenance; its value is the reason shown. Empty, '
             '"false", "no", "off" and "0" mean not under maintenance.'),
]

_FALSE = frozenset(('', 'false', 'no', 'off', '0'))


def register_opts(conf):
    """Register ``[maintenance]`` on *conf*; doing it again is harmless."""
    _options.register(conf, GROUP, OPTS)


def list_opts():
    return [(GROUP, OPTS)]


class MaintenanceFilter(filters.BaseHostFilter):
    """Hosts not under maintenance, by name pattern or aggregate metadata."""

    RUN_ON_REBUILD = False

    def __init__(self, conf):
        super().__init__(conf)
        # A plugin's options live in its own group, registered by the
        # plugin when the scheduler builds it: values from the config
        # files parsed before are read all the same.
        register_opts(conf)

    def _maintenance(self, host_state):
        """Why *host_state* is under maintenance, or None."""
        group = self.conf.maintenance
        for pattern in group.hosts:
            if fnmatch.fnmatchcase(host_state.host, pattern):
                return 'host name matches [maintenance] hosts %r' % pattern
        key = group.aggregate_key
        for aggregate in getattr(host_state, 'aggregates', None) or ():
            value = (aggregate.get('metadata') or {}).get(key)
            if value is not None and str(value).strip().lower() not in _FALSE:
                return 'aggregate %s sets %s=%s' % (
                    aggregate.get('name') or aggregate.get('uuid'), key, value)
        return None

    def host_passes(self, host_state, spec):
        return self._maintenance(host_state) is None

    def why(self, host_state, spec):
        return 'under maintenance: %s' % self._maintenance(host_state)
