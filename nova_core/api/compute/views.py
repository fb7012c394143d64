"""Response bodies of servers and flavors, per negotiated microversion."""

import datetime
import hashlib

from nova_core.api.compute import microversions as mv
from nova_core.api.compute import server_ops

def _links(req, collection, ident):
    """Nova's self (versioned) and bookmark (unversioned) links."""
    # .../v2.1 (without the project id the URL may have carried)
    base = req.host_url + req.environ.get('nova_core.compute.base_script',
                                          req.script_name)
    unversioned = base[:-len('/v2.1')] if base.endswith('/v2.1') else base
    project = req.environ.get('nova_core.url_project_id')
    prefix = '/%s' % project if project else ''
    path = '%s/%s/%s' % (prefix, collection, ident)
    return [{'rel': 'self', 'href': base + path},
            {'rel': 'bookmark', 'href': unversioned + path}]


def isotime(value):
    """Nova's timestamps: ``2026-11-21T14:56:14Z`` (None stays None)."""
    if value in (None, ''):
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.replace('Z', ''))
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + 'Z'


# -- flavors -------------------------------------------------------------------

def flavor_brief(req, flavor):
    view = {'id': flavor['flavorid'], 'name': flavor['name'],
            'links': _links(req, 'flavors', flavor['flavorid'])}
    if req.microversion.matches(mv.FLAVOR_DESCRIPTION):
        view['description'] = flavor.get('description')
    return view


def flavor_detail(req, flavor, with_extra_specs=False):
    view = flavor_brief(req, flavor)
    swap = flavor.get('swap') or 0
    view.update({
        'ram': flavor['memory_mb'],
        'disk': flavor['root_gb'],
        'vcpus': flavor['vcpus'],
        'OS-FLV-EXT-DATA:ephemeral': flavor.get('ephemeral_gb') or 0,
        'OS-FLV-DISABLED:disabled': bool(flavor.get('disabled')),
        # Before 2.75 no swap is an empty string.
        'swap': swap if swap or req.microversion.matches(
            mv.STRICT_QUERY) else '',
        'rxtx_factor': flavor.get('rxtx_factor', 1.0),
        'os-flavor-access:is_public': bool(flavor.get('is_public', True)),
    })
    if with_extra_specs and req.microversion.matches(mv.FLAVOR_EXTRA_SPECS):
        view['extra_specs'] = dict(flavor.get('extra_specs') or {})
    return view


# -- servers -------------------------------------------------------------------

def host_id(project_id, host):
    if not host:
        return ''
    return hashlib.sha224(
        ('%s%s' % (project_id, host)).encode('utf-8')).hexdigest()


def server_brief(req, server):
    view = {'id': server['uuid'], 'name': server.get('display_name'),
            'links': _links(req, 'servers', server['uuid'])}
    return view


def _flavor_of(req, server, show_extra_specs):
    flavor = server.get('flavor') or {}
    if not req.microversion.matches(mv.EMBEDDED_FLAVOR):
        flavorid = flavor.get('flavorid')
        return {'id': flavorid, 'links': [
            link for link in _links(req, 'flavors', flavorid)
            if link['rel'] == 'bookmark']}
    view = {'vcpus': flavor.get('vcpus'), 'ram': flavor.get('memory_mb'),
            'disk': flavor.get('root_gb'),
            'ephemeral': flavor.get('ephemeral_gb') or 0,
            'swap': flavor.get('swap') or 0,
            'original_name': flavor.get('name')}
    if show_extra_specs:
        view['extra_specs'] = dict(flavor.get('extra_specs') or {})
    return view


def addresses(network_info):
    """Nova's ``addresses``: network name -> its addresses, in the order
    they were handed out."""
    view = {}
    for vif in network_info or ():
        view.setdefault(vif['network_name'], []).append({
            'addr': vif['address'],
            'version': vif['version'],
            'OS-EXT-IPS:type': 'fixed',
            'OS-EXT-IPS-MAC:mac_addr': vif['mac_address'],
        })
    return view


def _image_of(req, server):
    image_ref = server.get('image_ref')
    if not image_ref:
        return ''
    return {'id': image_ref, 'links': [
        link for link in _links(req, 'images', image_ref)
        if link['rel'] == 'bookmark']}


def server_partial(req, server, detail=False):
    """A server of a cell that did not answer (2.69's partial record):
    id, status and links; with *detail* (GET /servers/detail) also its
    project and creation time."""
    view = {'id': server['uuid'], 'status': 'UNKNOWN',
            'links': _links(req, 'servers', server['uuid'])}
    if detail:
        view['tenant_id'] = server.get('project_id')
        view['created'] = isotime(server.get('created_at'))
    return view


def server_partial_show(req, server, show_extra_specs=False):
    """GET /servers/{id} of a server whose cell did not answer (2.69):
    what the API database knows of it."""
    view = server_partial(req, server, detail=True)
    view.update({
        'user_id': server.get('user_id'),
        'flavor': _flavor_of(req, server, show_extra_specs),
        'image': _image_of(req, server),
        'OS-EXT-AZ:availability_zone':
            server.get('availability_zone') or '',
        'OS-EXT-STS:power_state': 0,
    })
    return view


def server_detail(req, server, admin=False, show_extra_specs=False,
                  show_fault=True):
    """The full server view of GET /servers/{id} and /servers/detail."""
    if server.get('partial'):
        return server_partial(req, server, detail=True)
    version = req.microversion
    status = server.get('status') or 'UNKNOWN'
    system_metadata = server.get('system_metadata') or {}
    view = server_brief(req, server)
    view.update({
        'status': status,
        'tenant_id': server.get('project_id'),
        'user_id': server.get('user_id'),
        'metadata': dict(server.get('metadata') or {}),
        'hostId': host_id(server.get('project_id'), server.get('host')),
        'image': _image_of(req, server),
        'flavor': _flavor_of(req, server, show_extra_specs),
        'created': isotime(server.get('created_at')),
        'updated': isotime(server.get('updated_at') or
                           server.get('created_at')),
        'addresses': addresses(server.get('network_info')),
        'accessIPv4': '',
        'accessIPv6': '',
        'OS-DCF:diskConfig': 'MANUAL',
        'OS-EXT-AZ:availability_zone': server.get('availability_zone') or '',
        'config_drive': '',
        'key_name': system_metadata.get('key_name'),
        'OS-SRV-USG:launched_at': isotime(server.get('launched_at')),
        'OS-SRV-USG:terminated_at': isotime(server.get('terminated_at')),
        'OS-EXT-STS:task_state': server.get('task_state'),
        'OS-EXT-STS:vm_state': server.get('vm_state'),
        'OS-EXT-STS:power_state': server.get('power_state') or 0,
        'os-extended-volumes:volumes_attached': [],
        'security_groups': [{'name': 'default'}],
    })
    if status in ('ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE',
                  'MIGRATING'):
        view['progress'] = 100 if status == 'ACTIVE' else 0
    if admin:
        view.update({
            'OS-EXT-SRV-ATTR:host': server.get('host'),
            'OS-EXT-SRV-ATTR:hypervisor_hostname': server.get('node'),
            'OS-EXT-SRV-ATTR:instance_name': 'instance-%s' % server['uuid'],
        })
        if version.matches('2.3'):
            view.update({
                'OS-EXT-SRV-ATTR:reservation_id':
                    system_metadata.get('reservation_id', ''),
                'OS-EXT-SRV-ATTR:launch_index': server.get('launch_index')
                    or 0,
                'OS-EXT-SRV-ATTR:hostname': server.get('hostname'),
                'OS-EXT-SRV-ATTR:kernel_id': '',
                'OS-EXT-SRV-ATTR:ramdisk_id': '',
                'OS-EXT-SRV-ATTR:root_device_name': None,
                'OS-EXT-SRV-ATTR:user_data': system_metadata.get(
                    'user_data'),
            })
    elif version.matches(mv.HOSTNAME):
        # From 2.90 the hostname is everybody's (they may set it).
        view['OS-EXT-SRV-ATTR:hostname'] = server.get('hostname')
    if 'host_status' in server:
        # Set by the handler for those allowed to see it (2.16).
        view['host_status'] = server['host_status']
    if version.matches('2.9'):
        view['locked'] = False
    if version.matches(mv.SERVER_DESCRIPTION):
        view['description'] = system_metadata.get(
            server_ops.DESCRIPTION_KEY)
    if version.matches('2.26'):
        view['tags'] = []
    if version.matches('2.63'):
        view['trusted_image_certificates'] = None
    if version.matches('2.73'):
        view['locked_reason'] = None
    fault = server.get('fault')
    if show_fault and fault and status in ('ERROR', 'DELETED'):
        view['fault'] = fault_view(fault, admin)
    return view


def fault_view(fault, admin):
    view = {'code': fault.get('code') or 500,
            'created': isotime(fault.get('created_at')),
            'message': fault.get('message') or ''}
    # Nova shows details to admins, and to everybody for non-500 faults.
    if admin or view['code'] != 500:
        details = fault.get('details')
        if details:
            view['details'] = details
    return view
