"""Create, show, list and delete servers: the library under the servers REST API.

Creating a server writes only to the API database (a build request, a
request spec and an instance mapping with no cell yet) and casts the
conductor; the instance row appears in a cell (or in cell0, in ERROR) once
scheduled. Reading follows the instance mapping to the cell holding it.
Listing reads every cell at once with a per-cell timeout: a cell that does
not answer yields its servers as partial records (uuid, status UNKNOWN)
from the instance mappings, never a hang.
"""

import logging
import re
import uuid as uuidlib

from oslo_utils import timeutils

from nova_core.api.compute import quotas
from nova_core.api.compute import server_ops
from nova_core.db import build_request as db_build_request
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import flavor as db_flavor
from nova_core.db import instance as db_instance
from nova_core.db import instance_action as db_instance_action
from nova_core.db import instance_fault as db_instance_fault
from nova_core.db import instance_mapping as db_instance_mapping
from nova_core.db import keypair as db_keypair
from nova_core.db import request_spec as db_request_spec
from nova_core.db import server_group as db_server_group
from nova_core.db import service as db_service
from nova_core import exception
from nova_core import image as image_mod
from nova_core.placement_client import allocations as placement_allocations

LOG = logging.getLogger(__name__)

COMPUTE_BINARY = 'nova-compute'
ACTION_DELETE = 'delete'
# Nova's default multi_instance_display_name_template.
MULTI_NAME = '%(name)s-%(count)d'

# vm_state -> the status the API shows.
STATUS = {'building': 'BUILD', 'active': 'ACTIVE', 'stopped': 'SHUTOFF',
          'error': 'ERROR', 'deleted': 'DELETED'}
UNKNOWN = 'UNKNOWN'

_SPEC_IMAGE_FIELDS = ('status', 'disk_format', 'container_format', 'min_ram',
                      'min_disk', 'size', 'checksum')
_HOSTNAME_BAD = re.compile(r'[^a-z0-9-]+')


def hostname_of(display_name):
    """A DNS label from a display name, as Nova sanitises it."""
    name = _HOSTNAME_BAD.sub('-', (display_name or '').lower()).strip('-.')
    return name[:63] or 'server'


def spec_image(image):
    """What a request spec keeps of an image: the fields the scheduler's
    filters and request filters read (disk_format, min_ram...) and its
    properties."""
    spec = {'id': image.get('id'), 'name': image.get('name')}
    spec.update({key: image[key] for key in _SPEC_IMAGE_FIELDS
                 if key in image})
    spec['properties'] = dict(image.get('properties') or {})
    return spec


def status_of(instance):
    if instance.get('deleted'):
        return 'DELETED'
    return STATUS.get(instance.get('vm_state'), UNKNOWN)


def service_is_up(service, down_time):
    if service is None or service.get('forced_down'):
        return False
    last = service.get('last_seen_up') or service.get('updated_at')
    if not last:
        return False
    if isinstance(last, str):
        last = timeutils.normalize_time(timeutils.parse_isotime(last))
    return (timeutils.utcnow() - last).total_seconds() <= down_time


class ServersAPI:
    """Servers as the API sees them, across the API database and cells.

    :param conductor_api: the conductor's rpcapi (super conductor).
    :param compute_api: the compute's rpcapi (terminate_instance).
    :param placement_client: for deleting a server whose compute is down.
    :param images: the image plugin (``nova_core.image``): an image id
        given to :meth:`create` must name an active image the caller sees.
        None: image ids are taken on trust.
    :param networks: the network plugin (``nova_core.network``) giving
        servers their addresses, on this API database (its writes join the
        create's transaction). None: servers get no addresses.
    """

    def __init__(self, conf, cells, conductor_api, compute_api,
                 placement_client=None, images=None, networks=None):
        self.conf = conf
        self.cells = cells
        self.conductor_api = conductor_api
        self.compute_api = compute_api
        self.placement = placement_client
        self.images = images
        self.networks = networks

    @property
    def api_db(self):
        return self.cells.api

    # -- create ---------------------------------------------------------------

    def create(self, ctx, flavor, image, name, min_count=1, max_count=None,
               availability_zone=None, metadata=None, scheduler_hints=None,
               group=None, user_data=None, key_name=None, description=None,
               hostname=None, networks=None, reservation_id=None):
        """Ask for servers; returns their uuids (scheduling is asynchronous).

        *flavor* is a flavor dict or a flavorid; *image* an image dict
        ``{id, name, properties}`` (taken as is) or an image id (looked up
        with the image plugin: ImageNotFound, ImageNotActive, and
        FlavorMemoryTooSmall / FlavorDiskTooSmall when the flavor is too
        small for it); *group* a server group uuid. ``max_count`` servers
        are requested (default ``min_count``). *networks*: the requested
        networks of the network plugin (``[{'network_id', 'fixed_ip'}]``,
        ``[]`` for none; default one address on the default network).
        """
        max_count = max_count or min_count
        if min_count < 1 or max_count < min_count:
            raise exception.Invalid(
                'min_count %s / max_count %s: need 1 <= min <= max'
                % (min_count, max_count))
        image = self._image(ctx, image)
        if not isinstance(flavor, dict):
            with self.api_db.reader(ctx) as conn:
                flavor = db_flavor.get_by_flavorid(conn, flavor)
        if 'min_ram' in image:
            # Before the quota, as Nova checks a request.
            image_mod.check_fits(image, flavor)
        max_count = self._within_quota(ctx, flavor, metadata, group,
                                       min_count, max_count)
        if networks is None:
            networks = [{'network_id': None}]
        if self.networks is not None:
            # Unknown networks, taken addresses, an exhausted range: said
            # before anything is written.
            self.networks.validate(ctx, networks, max_count)
        uuids = [str(uuidlib.uuid4()) for _ in range(max_count)]
        with self.api_db.writer(ctx) as conn:
            # KeypairNotFound for a key the user does not have.
            key_data = key_name and db_keypair.get(
                conn, ctx.user_id, key_name)['public_key']
            instance_group = None
            if group:
                instance_group = dict(
                    db_server_group.add_members(conn, group, uuids),
                    hosts=[])
            for index, uuid in enumerate(uuids):
                display = (MULTI_NAME % {'name': name, 'count': index + 1}
                           if max_count > 1 else name)
                sketch = self._sketch(ctx, uuid, index, display, flavor,
                                      image, availability_zone, metadata,
                                      key_name, user_data)
                if key_data:
                    sketch['system_metadata']['key_data'] = key_data
                if description is not None:
                    sketch['system_metadata'][
                        server_ops.DESCRIPTION_KEY] = description
                if hostname:
                    sketch['hostname'] = hostname
                if reservation_id:
                    # One id for the servers of one request (2.3's
                    # OS-EXT-SRV-ATTR:reservation_id, the list filter).
                    sketch['system_metadata'][
                        'reservation_id'] = reservation_id
                spec = self._spec(ctx, uuid, flavor, image, max_count,
                                  availability_zone, scheduler_hints,
                                  instance_group)
                db_request_spec.save(conn, spec)
                db_build_request.create(conn, instance_uuid=uuid,
                                        project_id=ctx.project_id,
                                        instance=sketch)
                db_instance_mapping.create(conn, instance_uuid=uuid,
                                           project_id=ctx.project_id,
                                           user_id=ctx.user_id)
                if self.networks is not None and networks:
                    self.networks.allocate_for_instance(
                        ctx, uuid, ctx.project_id, networks)
        if self.conf.quota.recheck_quota:
            self._recheck_quota(ctx, flavor, uuids)
        self.conductor_api.schedule_and_build_instances(ctx, uuids)
        return uuids

    def _image(self, ctx, image):
        """The image dict of *image* (a dict, or an id to look up)."""
        if isinstance(image, dict):
            return image
        if self.images is None:
            return {'id': image, 'name': None, 'properties': {}}
        found = self.images.get(ctx, image)
        if found.get('status') != 'active':
            raise exception.ImageNotActive(image_id=image)
        return found

    def _within_quota(self, ctx, flavor, metadata, group, min_count,
                      max_count):
        """How many servers the project's quota allows (see
        ``quotas.allowed_servers``); QuotaError / TooManyInstances, or
        InstanceGroupNotFound for an unknown *group*, before anything is
        written."""
        with self.api_db.reader(ctx) as conn:
            limits = quotas.limits(self.conf, conn, ctx.project_id)
            members = (db_server_group.get(conn, group)['members']
                       if group else ())
        quotas.check_metadata(limits['metadata_items'], metadata)
        flavors = quotas.server_flavors(ctx, self.cells, ctx.project_id,
                                        self.conf.scheduler.cell_timeout)
        count = quotas.allowed_servers(limits, quotas.server_usage(flavors),
                                       flavor, min_count, max_count)
        if group:
            quotas.check_group_members(
                limits['server_group_members'],
                len([m for m in members if m in flavors]), count)
        return count

    def _recheck_quota(self, ctx, flavor, uuids):
        """Nova's recheck: a create racing this one may have passed its
        first check too. If the project is now over a limit, this
        request's servers go again (they were not cast yet) and
        TooManyInstances says why."""
        with self.api_db.reader(ctx) as conn:
            limits = quotas.limits(self.conf, conn, ctx.project_id)
        flavors = quotas.server_flavors(ctx, self.cells, ctx.project_id,
                                        self.conf.scheduler.cell_timeout)
        try:
            quotas.check_usage(limits, quotas.server_usage(flavors), flavor,
                               len(uuids))
        except exception.TooManyInstances:
            for uuid in uuids:
                try:
                    self.delete(ctx, uuid)
                except exception.InstanceNotFound:
                    pass
            raise

    @staticmethod
    def _sketch(ctx, uuid, index, display, flavor, image, availability_zone,
                metadata, key_name, user_data):
        system_metadata = {'image_%s' % k: str(v) for k, v in (
            image.get('properties') or {}).items()}
        if key_name:
            system_metadata['key_name'] = key_name
        if user_data:
            # No user_data column yet: kept where the metadata service of a
            # later issue will look for it.
            system_metadata['user_data'] = user_data
        return {
            'uuid': uuid, 'project_id': ctx.project_id,
            'user_id': ctx.user_id, 'display_name': display,
            'hostname': hostname_of(display), 'image_ref': image.get('id'),
            'flavor': flavor, 'availability_zone': availability_zone,
            'metadata': dict(metadata or {}),
            'system_metadata': system_metadata, 'launch_index': index,
            'vm_state': 'building', 'task_state': 'scheduling',
            'power_state': 0,
            'created_at': timeutils.utcnow().isoformat(),
        }

    @staticmethod
    def _spec(ctx, uuid, flavor, image, count, availability_zone,
              scheduler_hints, instance_group):
        return {
            'instance_uuid': uuid, 'project_id': ctx.project_id,
            'user_id': ctx.user_id, 'flavor': flavor,
            'image': spec_image(image),
            'num_instances': count, 'availability_zone': availability_zone,
            'scheduler_hints': dict(scheduler_hints or {}),
            'instance_group': instance_group, 'ignore_hosts': [],
            'force_hosts': [], 'force_nodes': [],
            'requested_destination': None, 'is_bfv': False,
            'request_level_params': {'root_required': [],
                                     'root_forbidden': []},
        }

    # -- show -----------------------------------------------------------------

    def _mapping(self, ctx, uuid):
        with self.api_db.reader(ctx) as conn:
            try:
                return db_instance_mapping.get_by_instance_uuid(conn, uuid)
            except exception.InstanceMappingNotFound:
                raise exception.InstanceNotFound(instance_id=uuid) from None

    def _cell(self, ctx, cell_uuid):
        with self.api_db.reader(ctx) as conn:
            return db_cell_mapping.get_by_uuid(conn, cell_uuid)

    def get(self, ctx, uuid):
        """The server: its cell instance (+ latest fault) or build request."""
        mapping = self._mapping(ctx, uuid)
        if not mapping.get('cell_uuid'):
            try:
                return self._with_networks(
                    ctx, [self._from_build_request(ctx, uuid)])[0]
            except exception.BuildRequestNotFound:
                # Scheduled meanwhile (the mapping now names a cell), or
                # deleted.
                mapping = self._mapping(ctx, uuid)
                if not mapping.get('cell_uuid'):
                    raise exception.InstanceNotFound(instance_id=uuid)
        cell = self._cell(ctx, mapping['cell_uuid'])
        # Read as a list reads: a cell that fails or does not answer in
        # time gives a partial record (what the API database knows), not
        # an error.
        result = db_cells.scatter_gather_cells(
            ctx, [cell], self.conf.scheduler.cell_timeout, self._get_cell,
            uuid, cells=self.cells)[cell['uuid']]
        if result is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        if not isinstance(result, tuple):
            LOG.warning('Cell %s did not answer for server %s (%s); it is '
                        'shown as a partial record', cell['uuid'], uuid,
                        result)
            return self._partial_server(ctx, mapping)
        instance, fault = result
        return self._with_networks(
            ctx, [self._view(instance, cell['uuid'], fault)])[0]

    @staticmethod
    def _get_cell(cctx, uuid):
        with cctx.db_connection.reader(cctx) as conn:
            try:
                instance = db_instance.get_by_uuid(conn, uuid)
            except exception.InstanceNotFound:
                return None     # deleted meanwhile
            fault = None
            if instance.get('vm_state') == 'error':
                fault = db_instance_fault.get_latest_for_instance(conn, uuid)
        return instance, fault

    def _partial_server(self, ctx, mapping):
        """A server of a cell that is down, from its mapping and request
        spec: ``{uuid, status: UNKNOWN, partial: True, project_id, user_id,
        created_at, flavor, image_ref, availability_zone}``."""
        uuid = mapping['instance_uuid']
        with self.api_db.reader(ctx) as conn:
            try:
                spec = db_request_spec.get_by_instance_uuid(conn, uuid)
            except exception.RequestSpecNotFound:
                spec = {}
        return {'uuid': uuid, 'status': UNKNOWN, 'partial': True,
                'cell_uuid': mapping.get('cell_uuid'),
                'project_id': mapping.get('project_id'),
                'user_id': mapping.get('user_id'),
                'created_at': mapping.get('created_at'),
                'flavor': spec.get('flavor'),
                'image_ref': (spec.get('image') or {}).get('id'),
                'availability_zone': spec.get('availability_zone')}

    def _from_build_request(self, ctx, uuid):
        with self.api_db.reader(ctx) as conn:
            build_request = db_build_request.get_by_instance_uuid(conn, uuid)
        instance = dict(build_request.get('instance') or {})
        instance.setdefault('uuid', uuid)
        instance.setdefault('created_at', build_request.get('created_at'))
        return self._view(instance, None, None)

    @staticmethod
    def _view(instance, cell_uuid, fault):
        view = dict(instance)
        view['status'] = status_of(instance)
        view['cell_uuid'] = cell_uuid
        if fault:
            view['fault'] = fault
        return view

    # -- list -----------------------------------------------------------------

    def list(self, ctx, filters=None, limit=None, timeout=None,
             all_projects=False):
        """Servers of the caller's project (every project if *all_projects*),
        newest first. A cell that is down yields partial records
        ``{uuid, status: UNKNOWN, cell_uuid, partial: True}``."""
        filters = dict(filters or {})
        if not all_projects:
            filters['project_id'] = ctx.project_id
        timeout = timeout or self.conf.scheduler.cell_timeout
        with self.api_db.reader(ctx) as conn:
            cells = [c for c in db_cell_mapping.get_all(conn)]
            pending = db_build_request.get_all(
                conn, project_id=None if all_projects else ctx.project_id)
        results = db_cells.scatter_gather_cells(
            ctx, cells, timeout, self._list_cell, filters, cells=self.cells)
        servers = [self._view(dict(br['instance'] or {},
                                   uuid=br['instance_uuid']), None, None)
                   for br in pending]
        for cell in cells:
            result = results.get(cell['uuid'])
            if isinstance(result, list):
                servers.extend(self._view(i, cell['uuid'], fault)
                               for i, fault in result)
            else:
                LOG.warning('Cell %s did not answer the listing (%s); its '
                            'servers are listed as partial records',
                            cell['uuid'], result)
                servers.extend(self._partial(ctx, cell['uuid'], filters))
        # A server scheduled between the two reads shows up twice: keep
        # its cell record (read last).
        unique = {s['uuid']: s for s in servers}
        servers = sorted(unique.values(),
                         key=lambda s: str(s.get('created_at') or ''),
                         reverse=True)
        return self._with_networks(ctx, servers[:limit] if limit
                                   else servers)

    def _with_networks(self, ctx, servers):
        """*servers* with their ``network_info`` (the network plugin's
        addresses, ``[]`` without any)."""
        if self.networks is None:
            return servers
        info = self.networks.get_info(
            ctx, [s['uuid'] for s in servers if not s.get('partial')])
        for server in servers:
            if not server.get('partial'):
                server['network_info'] = info.get(server['uuid'], [])
        return servers

    @staticmethod
    def _list_cell(cctx, filters):
        """[(instance, latest fault or None)] of one cell: a listing shows
        the fault of a server in ERROR, as Nova's detailed list does."""
        with cctx.db_connection.reader(cctx) as conn:
            instances = db_instance.get_all(conn, filters=filters)
            faults = db_instance_fault.get_by_instance_uuids(
                conn, [i['uuid'] for i in instances
                       if i.get('vm_state') == 'error'])
        return [(i, (faults.get(i['uuid']) or [None])[0])
                for i in instances]

    def _partial(self, ctx, cell_uuid, filters):
        with self.api_db.reader(ctx) as conn:
            mappings = db_instance_mapping.get_by_cell(conn, cell_uuid)
        project = filters.get('project_id')
        return [{'uuid': m['instance_uuid'], 'status': UNKNOWN,
                 'cell_uuid': cell_uuid, 'project_id': m.get('project_id'),
                 'created_at': m.get('created_at'), 'partial': True}
                for m in mappings
                if project is None or m.get('project_id') == project]

    # -- delete ---------------------------------------------------------------

    def delete(self, ctx, uuid):
        """Delete a server wherever it is in its life."""
        mapping = self._mapping(ctx, uuid)
        if not mapping.get('cell_uuid'):
            if self._delete_build_request(ctx, uuid):
                return
            mapping = self._mapping(ctx, uuid)  # scheduled meanwhile
        cell = self._cell(ctx, mapping['cell_uuid'])
        with db_cells.target_cell(ctx, cell, cells=self.cells) as cctx:
            if cell['uuid'] == db_cells.CELL0_UUID:
                self._local_delete(ctx, cctx, uuid, remove_mapping=True)
                self._free_addresses(ctx, uuid)
                return
            with cctx.db_connection.reader(cctx) as conn:
                instance = db_instance.get_by_uuid(conn, uuid)
                service = None
                if instance.get('host'):
                    try:
                        service = db_service.get_by_host_and_binary(
                            conn, instance['host'], COMPUTE_BINARY)
                    except exception.NotFound:
                        service = None
            if service_is_up(service, self.conf.service_down_time):
                with cctx.db_connection.writer(cctx) as conn:
                    instance = db_instance.update(
                        conn, uuid, {'task_state': 'deleting'})
                    self._record_delete(ctx, conn, uuid)
                self.compute_api.terminate_instance(
                    cctx, instance=instance, host=instance['host'])
            else:
                LOG.info('Deleting instance %s locally: its compute %s is '
                         'down or unknown', uuid, instance.get('host'))
                self._local_delete(ctx, cctx, uuid)
        self._free_addresses(ctx, uuid)

    def _free_addresses(self, ctx, uuid):
        # The server is going away: its addresses can go to the next one.
        if self.networks is not None:
            self.networks.deallocate_for_instance(ctx, uuid)

    def _delete_build_request(self, ctx, uuid):
        """Delete a not-yet-scheduled server; False if it was scheduled."""
        with self.api_db.writer(ctx) as conn:
            try:
                db_build_request.delete(conn, uuid)
            except exception.BuildRequestNotFound:
                return False
            db_instance_mapping.delete(conn, uuid)
            try:
                db_request_spec.delete(conn, uuid)
            except exception.RequestSpecNotFound:
                pass
            self._free_addresses(ctx, uuid)
        return True

    @staticmethod
    def _record_delete(ctx, conn, uuid):
        # Nova's instance action for a delete (the compute adds its events).
        db_instance_action.start(conn, uuid, ACTION_DELETE, ctx.request_id,
                                 user_id=ctx.user_id,
                                 project_id=ctx.project_id)

    def _local_delete(self, ctx, cctx, uuid, remove_mapping=False):
        with cctx.db_connection.writer(cctx) as conn:
            db_instance.destroy(conn, uuid)
            if not remove_mapping:
                # Without a mapping (cell0) nobody could read the action.
                self._record_delete(ctx, conn, uuid)
                db_instance_action.finish(conn, uuid, ctx.request_id)
        if self.placement is not None:
            placement_allocations.remove_allocations(ctx, self.placement,
                                                     uuid)
        if remove_mapping:
            with self.api_db.writer(ctx) as conn:
                try:
                    db_instance_mapping.delete(conn, uuid)
                except exception.InstanceMappingNotFound:
                    pass
                try:
                    db_request_spec.delete(conn, uuid)
                except exception.RequestSpecNotFound:
                    pass
