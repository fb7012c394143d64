"""Handler of /limits: the caller's project quotas and usage as Nova's
``absolute`` limits (``rate`` is always empty).

The network limits go at 2.36, ``maxImageMeta`` at 2.39, the personality
(injected files) limits at 2.57. An admin asks for another project with
``tenant_id``.
"""

from nova_core.api.compute.handlers import common
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import limits as policies
from nova_core.api.compute import quotas
from nova_core.api.compute.schemas import limits as schema
from nova_core.api import wsgi

NO_NETWORK = '2.36'
NO_IMAGE_META = '2.39'
NO_FILES = '2.57'

# quota resource -> the absolute limits showing it.
LIMIT_NAMES = {
    'ram': ['maxTotalRAMSize'],
    'instances': ['maxTotalInstances'],
    'cores': ['maxTotalCores'],
    'key_pairs': ['maxTotalKeypairs'],
    'floating_ips': ['maxTotalFloatingIps'],
    'metadata_items': ['maxServerMeta', 'maxImageMeta'],
    'injected_files': ['maxPersonality'],
    'injected_file_content_bytes': ['maxPersonalitySize'],
    'security_groups': ['maxSecurityGroups'],
    'security_group_rules': ['maxSecurityGroupRules'],
    'server_groups': ['maxServerGroups'],
    'server_group_members': ['maxServerGroupMembers'],
}
# absolute usage -> the quota resource counted.
USED_NAMES = {
    'totalRAMUsed': 'ram',
    'totalCoresUsed': 'cores',
    'totalInstancesUsed': 'instances',
    'totalFloatingIpsUsed': 'floating_ips',
    'totalSecurityGroupsUsed': 'security_groups',
    'totalServerGroupsUsed': 'server_groups',
}


def show_limits(req):
    ctx = req.context
    params = common.query(req, schema.QUERY_V275 if req.microversion.matches(
        mv.STRICT_QUERY) else schema.QUERY)
    project_id = ctx.project_id
    if 'tenant_id' in params:
        project_id = params['tenant_id']
        ctx.can(policies.OTHER_PROJECT, {'project_id': project_id})
    ctx.can(policies.LIMITS, {'project_id': project_id})
    services = common.services(req)
    conf = services.servers.conf
    with services.cells.api.reader(ctx) as conn:
        limits = quotas.limits(conf, conn, project_id)
    used = quotas.usage(ctx, services.cells, project_id,
                        conf.scheduler.cell_timeout)
    hidden = quotas.hidden_resources(req.microversion.matches(NO_NETWORK),
                                     req.microversion.matches(NO_FILES))
    absolute = {}
    for resource, names in LIMIT_NAMES.items():
        if resource in hidden:
            continue
        for name in names:
            if name == 'maxImageMeta' and req.microversion.matches(
                    NO_IMAGE_META):
                continue
            absolute[name] = limits[resource]
    for name, resource in USED_NAMES.items():
        if resource not in hidden:
            absolute[name] = used[resource]
    return wsgi.json_response(
        req, {'limits': {'rate': [], 'absolute': absolute}})
