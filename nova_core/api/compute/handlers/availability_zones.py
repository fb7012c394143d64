"""Handlers of /os-availability-zone and /os-availability-zone/detail.

A zone is listed when some service is in it: available if one of them is
enabled. The plain list leaves the internal zone (conductor, scheduler)
out; the detail (admins) shows every service of the available zones.
"""

from nova_core.api.compute.handlers import common
from nova_core.api.compute import hosts_api
from nova_core.api.compute.policies import availability_zones as policies
from nova_core.api import wsgi


def list_zones(req):
    req.context.can(policies.LIST, {})
    hosts = common.services(req).hosts
    available, unavailable = hosts.zones(req.context)
    internal = hosts.conf.internal_service_availability_zone
    info = [{'zoneName': zone, 'zoneState': {'available': True},
             'hosts': None} for zone in sorted(available) if zone != internal]
    info += [{'zoneName': zone, 'zoneState': {'available': False},
              'hosts': None}
             for zone in sorted(unavailable) if zone != internal]
    return wsgi.json_response(req, {'availabilityZoneInfo': info})


def list_zones_detail(req):
    req.context.can(policies.DETAIL, {})
    hosts = common.services(req).hosts
    available, unavailable = hosts.zones(req.context)
    info = []
    for zone in sorted(available):
        by_host = {}
        for service in available[zone]:
            by_host.setdefault(service['host'], {})[service['binary']] = {
                'available': hosts.is_up(service),
                'active': not service['disabled'],
                'updated_at': hosts_api.timestamp(service.get('updated_at')),
            }
        info.append({'zoneName': zone, 'zoneState': {'available': True},
                     'hosts': by_host})
    info += [{'zoneName': zone, 'zoneState': {'available': False},
              'hosts': None} for zone in sorted(unavailable)]
    return wsgi.json_response(req, {'availabilityZoneInfo': info})
