"""Quota limits and usage, counted as Nova counts them (no reservations).

A project's limit of a resource is its override in the API database's
``quotas`` table, else the ``[quota]`` default. Usage is counted when it is
needed: servers (instances, cores, ram) from every cell's live instances
plus the build requests not yet in a cell, key pairs per user, server groups
per project. Checks run before anything is written, so a refused request
leaves nothing behind.
"""

import base64
import binascii
import logging

from nova_core.db import build_request as db_build_request
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import instance as db_instance
from nova_core.db import keypair as db_keypair
from nova_core.db import quota as db_quota
from nova_core.db import server_group as db_server_group
from nova_core import exception

LOG = logging.getLogger(__name__)

# API resource name -> [quota] option, in the order Nova shows them.
OPTIONS = {
    'cores': 'cores',
    'injected_file_content_bytes': 'injected_file_content_bytes',
    'injected_file_path_bytes': 'injected_file_path_length',
    'injected_files': 'injected_files',
    'instances': 'instances',
    'key_pairs': 'key_pairs',
    'metadata_items': 'metadata_items',
    'ram': 'ram',
    'server_group_members': 'server_group_members',
    'server_groups': 'server_groups',
}
# Network quotas of the nova-network days: still shown (unlimited) before
# microversion 2.36, never enforced.
NETWORK_RESOURCES = ('fixed_ips', 'floating_ips', 'security_group_rules',
                     'security_groups')
# Injected files: shown before 2.57.
FILE_RESOURCES = ('injected_file_content_bytes', 'injected_file_path_bytes',
                  'injected_files')
UNLIMITED = -1


def hidden_resources(no_network, no_files):
    """The resources a view leaves out: the network ones (*no_network*,
    microversion 2.36 on) and the injected files (*no_files*, 2.57 on)."""
    return set((NETWORK_RESOURCES if no_network else ()) +
               (FILE_RESOURCES if no_files else ()))


def defaults(conf):
    """``{resource: default limit}`` (the network ones unlimited)."""
    result = {name: getattr(conf.quota, option)
              for name, option in OPTIONS.items()}
    result.update({name: UNLIMITED for name in NETWORK_RESOURCES})
    return result


def limits(conf, conn, project_id):
    """``{resource: limit}`` of *project_id*: its overrides on the
    defaults."""
    result = defaults(conf)
    for name, value in db_quota.get_all_by_project(conn, project_id).items():
        if name in result and value is not None:
            result[name] = value
    return result


def _over(limit, used, delta):
    return limit != UNLIMITED and used + delta > limit


# -- counting ------------------------------------------------------------

def _cell_flavors(cctx, project_id):
    with cctx.db_connection.reader(cctx) as conn:
        return db_instance.get_flavors_by_project(conn, project_id)


def server_flavors(ctx, cells, project_id, timeout):
    """``{uuid: flavor}`` of the project's live servers: those in every
    cell (cell0's ERROR ones included, as in Nova) and those still being
    scheduled. A cell that does not answer is left out (and logged): its
    servers cannot be counted, as in Nova."""
    with cells.api.reader(ctx) as conn:
        mappings = db_cell_mapping.get_all(conn)
        pending = db_build_request.get_all(conn, project_id=project_id)
    results = db_cells.scatter_gather_cells(
        ctx, mappings, timeout, _cell_flavors, project_id, cells=cells)
    flavors = {br['instance_uuid']: (br.get('instance') or {}).get('flavor')
               or {} for br in pending}
    for cell_uuid, result in results.items():
        if isinstance(result, dict):
            flavors.update(result)
        else:
            LOG.warning('Cell %s did not answer the quota count of project '
                        '%s (%s): its servers are not counted', cell_uuid,
                        project_id, result)
    return flavors


def server_usage(flavors):
    """``{instances, cores, ram}`` used by the servers of *flavors*."""
    return {'instances': len(flavors),
            'cores': sum(int(f.get('vcpus') or 0) for f in flavors.values()),
            'ram': sum(int(f.get('memory_mb') or 0)
                       for f in flavors.values())}


def usage(ctx, cells, project_id, timeout, user_id=None):
    """``{resource: in use}`` for the quota detail and the limits views:
    servers, their cores and ram, server groups, and *user_id*'s key pairs
    (key pairs are counted per user; 0 without one)."""
    result = {name: 0 for name in list(OPTIONS) + list(NETWORK_RESOURCES)}
    result.update(server_usage(server_flavors(ctx, cells, project_id,
                                              timeout)))
    with cells.api.reader(ctx) as conn:
        result['server_groups'] = db_server_group.count_by_project(
            conn, project_id)
        if user_id:
            result['key_pairs'] = db_keypair.count_by_user(conn, user_id)
    return result


# -- checks --------------------------------------------------------------

def check_key_pairs(conf, conn, project_id, user_id):
    """One more key pair for *user_id*, or KeypairLimitExceeded."""
    limit = limits(conf, conn, project_id)['key_pairs']
    if _over(limit, db_keypair.count_by_user(conn, user_id), 1):
        raise exception.KeypairLimitExceeded()


def check_server_groups(conf, conn, project_id):
    limit = limits(conf, conn, project_id)['server_groups']
    if _over(limit, db_server_group.count_by_project(conn, project_id), 1):
        raise exception.QuotaError('Quota exceeded, too many server groups.')


def check_group_members(limit, members, adding):
    if _over(limit, members, adding):
        raise exception.QuotaError(
            'Quota exceeded, too many servers in group')


def check_metadata(limit, metadata):
    if _over(limit, len(metadata or {}), 0):
        raise exception.MetadataLimitExceeded(allowed=limit)


def _headroom(limit, used):
    return float('inf') if limit == UNLIMITED else limit - used


def allowed_servers(quota, used, flavor, min_count, max_count):
    """How many servers of *flavor* to create: *max_count* if they fit,
    else as many as fit if that is at least *min_count*; TooManyInstances
    (Nova's message) otherwise.

    :param quota: ``{resource: limit}``; *used*: ``{instances, cores,
        ram}``.
    """
    vcpus = int(flavor.get('vcpus') or 0)
    ram = int(flavor.get('memory_mb') or 0)
    room = {name: _headroom(quota[name], used[name])
            for name in ('instances', 'cores', 'ram')}
    fits = room['instances']
    if vcpus:
        fits = min(fits, room['cores'] // vcpus)
    if ram:
        fits = min(fits, room['ram'] // ram)
    if fits >= max_count:
        return max_count
    if fits >= min_count:
        return int(fits)
    requested = {'instances': str(min_count) if min_count == max_count
                 else '%s-%s' % (min_count, max_count),
                 'cores': vcpus * max_count, 'ram': ram * max_count}
    per_server = {'instances': 1, 'cores': vcpus, 'ram': ram}
    overs = sorted(name for name in room
                   if room[name] < per_server[name] * max_count)
    raise exception.TooManyInstances(
        overs=', '.join(overs),
        req=', '.join(str(requested[name]) for name in overs),
        used=', '.join(str(used[name]) for name in overs),
        allowed=', '.join(str(quota[name]) for name in overs))


def check_usage(quota, used, flavor, count):
    """The recheck once *count* servers of *flavor* are recorded (*used*
    counts them): TooManyInstances if the project went over a limit."""
    mine = {'instances': count,
            'cores': int(flavor.get('vcpus') or 0) * count,
            'ram': int(flavor.get('memory_mb') or 0) * count}
    overs = sorted(name for name in mine
                   if _over(quota[name], used[name], 0))
    if overs:
        raise exception.TooManyInstances(
            overs=', '.join(overs),
            req=', '.join(str(mine[name]) for name in overs),
            used=', '.join(str(used[name] - mine[name]) for name in overs),
            allowed=', '.join(str(quota[name]) for name in overs))


def check_personality(quota, files):
    """Injected files within the ``injected_files``,
    ``injected_file_path_bytes`` and ``injected_file_content_bytes``
    limits (Nova's messages); a content that is not base64 is a 400."""
    if _over(quota['injected_files'], len(files), 0):
        raise exception.QuotaError('Personality file limit exceeded')
    for item in files:
        path = item.get('path') or ''
        try:
            contents = base64.b64decode(item.get('contents') or '',
                                        validate=True)
        except (binascii.Error, ValueError):
            raise exception.Invalid(
                'Personality content for %s cannot be decoded' % path)
        for name, size in (('injected_file_path_bytes', len(path)),
                           ('injected_file_content_bytes', len(contents))):
            if _over(quota[name], size, 0):
                raise exception.QuotaError(
                    'Personality file %s exceeds maximum %s' % (
                        'path' if 'path' in name else 'content',
                        quota[name]))
