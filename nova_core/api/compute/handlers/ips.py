"""Handlers of /servers/{server_id}/ips(/{network_label}): a server's
addresses by network, in Nova's short form (version and address)."""

from nova_core.api.compute.handlers import servers
from nova_core.api.compute.policies import ips as policies
from nova_core.api.compute import views
from nova_core.api import fault
from nova_core.api import wsgi


def _ips(req, action):
    server = servers.get_visible(req, req.path_arg('server_id'), action)
    return {label: [{'version': vif['version'], 'addr': vif['addr']}
                    for vif in vifs]
            for label, vifs in views.addresses(
                server.get('network_info')).items()}


def list_ips(req):
    return wsgi.json_response(req, {'addresses': _ips(req, policies.INDEX)})


def show_ips(req):
    label = req.path_arg('network_label')
    addresses = _ips(req, policies.SHOW)
    if label not in addresses:
        raise fault.http_error(
            404, 'Instance is not a member of specified network')
    return wsgi.json_response(req, {label: addresses[label]})
