"""``POST /servers/{id}/action``: reboot, os-start and os-stop.

Nova's other actions are known by name and answer 501 until their own
issue; a name Nova does not know is a 400.
"""

from nova_core.api.compute.handlers import common
from nova_core.api.compute.handlers import servers
from nova_core.api.compute.policies import servers as policies
from nova_core.api.compute.schemas import servers as schema
from nova_core.api import fault
from nova_core.api import wsgi

# Actions of Nova's API not implemented here yet.
LATER = frozenset((
    'addFixedIp', 'addFloatingIp', 'addSecurityGroup', 'changePassword',
    'confirmResize', 'createBackup', 'createImage', 'evacuate',
    'forceDelete', 'injectNetworkInfo', 'lock', 'migrate', 'os-getConsoleOutput',
    'os-getRDPConsole', 'os-getSerialConsole', 'os-getSPICEConsole',
    'os-getVNCConsole', 'os-migrateLive', 'os-resetState', 'pause',
    'rebuild', 'removeFixedIp', 'removeFloatingIp', 'removeSecurityGroup',
    'rescue', 'resetNetwork', 'resize', 'restore', 'resume', 'revertResize',
    'shelve', 'shelveOffload', 'suspend', 'trigger_crash_dump', 'unlock',
    'unpause', 'unrescue', 'unshelve', 'os-createConsole',
    'os-getConsole'))


# Actions that exist only in a range of microversions: the nova-network
# proxies end at 2.43, the console actions at 2.5 (remote-consoles from
# 2.6), trigger_crash_dump begins at 2.17.
_VERSIONS = dict(
    [(name, (None, '2.43')) for name in (
        'addFixedIp', 'removeFixedIp', 'addFloatingIp', 'removeFloatingIp')] +
    [(name, (None, '2.5')) for name in (
        'os-getVNCConsole', 'os-getSPICEConsole', 'os-getRDPConsole',
        'os-getSerialConsole')] +
    [('trigger_crash_dump', ('2.17', None))])


def _reboot(req, uuid, data):
    common.body(req, schema.REBOOT)
    servers.get_visible(req, uuid, policies.REBOOT)
    common.services(req).server_ops.reboot(
        req.context, uuid, data['reboot']['type'].upper())


def _start(req, uuid, data):
    servers.get_visible(req, uuid, policies.START)
    common.services(req).server_ops.start(req.context, uuid)


def _stop(req, uuid, data):
    servers.get_visible(req, uuid, policies.STOP)
    common.services(req).server_ops.stop(req.context, uuid)


ACTIONS = {'reboot': _reboot, 'os-start': _start, 'os-stop': _stop}


def server_action(req):
    uuid = req.path_arg('server_id')
    data = common.body(req, schema.ACTION)
    name = next(iter(data))
    low, high = _VERSIONS.get(name, (None, None))
    if not req.microversion.matches(low, high):
        # Nova's answer for an action outside its microversions.
        raise fault.http_error(404, 'The resource could not be found.')
    action = ACTIONS.get(name)
    if action is None:
        if name in LATER:
            # The server must still exist (and be the caller's) first.
            servers.get_visible(req, uuid, policies.SHOW)
            raise fault.http_error(
                501, 'The server action %s is not implemented yet.' % name)
        raise fault.http_error(400, 'There is no such action: %s' % name)
    action(req, uuid, data)
    return wsgi.empty_response(202)
