"""Tables of the API database (cells v2 mappings and API-level records)."""

import sqlalchemy as sa

from nova_core.db import base

metadata = sa.MetaData()
_ARGS = base.TABLE_ARGS


def _id():
    return sa.Column('id', sa.Integer, primary_key=True, autoincrement=True)


cell_mappings = sa.Table(
    'cell_mappings', metadata, _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('name', sa.String(255)),
    sa.Column('transport_url', sa.Text, nullable=False),
    sa.Column('database_connection', sa.Text, nullable=False),
    sa.Column('disabled', sa.Boolean, nullable=False,
              default=False),
    *base.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_cell_mappings0uuid'),
    **_ARGS)

host_mappings = sa.Table(
    'host_mappings', metadata, _id(),
    sa.Column('cell_id', sa.Integer,
              sa.ForeignKey('cell_mappings.id', name='host_mappings_cell_fk'),
              nullable=False),
    sa.Column('host', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('host', name='uniq_host_mappings0host'),
    sa.Index('host_mappings_cell_id_idx', 'cell_id'),
    **_ARGS)

instance_mappings = sa.Table(
    'instance_mappings', metadata, _id(),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    sa.Column('cell_id', sa.Integer,
              sa.ForeignKey('cell_mappings.id',
                            name='instance_mappings_cell_fk')),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255)),
    sa.Column('queued_for_delete', sa.Boolean, nullable=False,
              default=False),
    *base.timestamps(),
    sa.UniqueConstraint('instance_uuid',
                        name='uniq_instance_mappings0instance_uuid'),
    sa.Index('instance_mappings_cell_id_idx', 'cell_id'),
    sa.Index('instance_mappings_project_id_idx', 'project_id'),
    **_ARGS)

build_requests = sa.Table(
    'build_requests', metadata, _id(),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    sa.Column('project_id', sa.String(255), nullable=False),
    # The instance to be, as JSON (the instance dict of a cell database).
    sa.Column('instance', sa.Text),
    *base.timestamps(),
    sa.UniqueConstraint('instance_uuid',
                        name='uniq_build_requests0instance_uuid'),
    sa.Index('build_requests_project_id_idx', 'project_id'),
    **_ARGS)

request_specs = sa.Table(
    'request_specs', metadata, _id(),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    sa.Column('spec', sa.Text, nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('instance_uuid',
                        name='uniq_request_specs0instance_uuid'),
    **_ARGS)

flavors = sa.Table(
    'flavors', metadata, _id(),
    sa.Column('flavorid', sa.String(255), nullable=False),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('memory_mb', sa.Integer, nullable=False),
    sa.Column('vcpus', sa.Integer, nullable=False),
    sa.Column('root_gb', sa.Integer, nullable=False, default=0),
    sa.Column('ephemeral_gb', sa.Integer, nullable=False, default=0),
    sa.Column('swap', sa.Integer, nullable=False, default=0),
    sa.Column('rxtx_factor', sa.Float, nullable=False, default=1.0),
    sa.Column('is_public', sa.Boolean, nullable=False,
              default=True),
    sa.Column('disabled', sa.Boolean, nullable=False,
              default=False),
    sa.Column('description', sa.Text),
    *base.timestamps(),
    sa.UniqueConstraint('flavorid', name='uniq_flavors0flavorid'),
    sa.UniqueConstraint('name', name='uniq_flavors0name'),
    **_ARGS)

flavor_extra_specs = sa.Table(
    'flavor_extra_specs', metadata, _id(),
    sa.Column('flavor_id', sa.Integer,
              sa.ForeignKey('flavors.id', name='flavor_extra_specs_flavor_fk'),
              nullable=False),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.String(255)),
    *base.timestamps(),
    sa.UniqueConstraint('flavor_id', 'key',
                        name='uniq_flavor_extra_specs0flavor_id0key'),
    **_ARGS)

flavor_projects = sa.Table(
    'flavor_projects', metadata, _id(),
    sa.Column('flavor_id', sa.Integer,
              sa.ForeignKey('flavors.id', name='flavor_projects_flavor_fk'),
              nullable=False),
    sa.Column('project_id', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('flavor_id', 'project_id',
                        name='uniq_flavor_projects0flavor_id0project_id'),
    **_ARGS)

instance_groups = sa.Table(
    'instance_groups', metadata, _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('name', sa.String(255)),
    sa.Column('project_id', sa.String(255)),
    sa.Column('user_id', sa.String(255)),
    *base.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_instance_groups0uuid'),
    **_ARGS)

instance_group_member = sa.Table(
    'instance_group_member', metadata, _id(),
    sa.Column('group_id', sa.Integer,
              sa.ForeignKey('instance_groups.id',
                            name='instance_group_member_group_fk'),
              nullable=False),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('group_id', 'instance_uuid',
                        name='uniq_instance_group_member0group0instance'),
    sa.Index('instance_group_member_instance_idx', 'instance_uuid'),
    **_ARGS)

instance_group_policy = sa.Table(
    'instance_group_policy', metadata, _id(),
    sa.Column('group_id', sa.Integer,
              sa.ForeignKey('instance_groups.id',
                            name='instance_group_policy_group_fk'),
              nullable=False),
    sa.Column('policy', sa.String(255), nullable=False),
    # e.g. {"max_server_per_host": 2}, as JSON.
    sa.Column('rules', sa.Text),
    *base.timestamps(),
    sa.UniqueConstraint('group_id', name='uniq_instance_group_policy0group'),
    **_ARGS)

aggregates = sa.Table(
    'aggregates', metadata, _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('name', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_aggregates0uuid'),
    sa.UniqueConstraint('name', name='uniq_aggregates0name'),
    **_ARGS)

aggregate_hosts = sa.Table(
    'aggregate_hosts', metadata, _id(),
    sa.Column('aggregate_id', sa.Integer,
              sa.ForeignKey('aggregates.id', name='aggregate_hosts_agg_fk'),
              nullable=False),
    sa.Column('host', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('aggregate_id', 'host',
                        name='uniq_aggregate_hosts0aggregate_id0host'),
    sa.Index('aggregate_hosts_host_idx', 'host'),
    **_ARGS)

aggregate_metadata = sa.Table(
    'aggregate_metadata', metadata, _id(),
    sa.Column('aggregate_id', sa.Integer,
              sa.ForeignKey('aggregates.id', name='aggregate_metadata_agg_fk'),
              nullable=False),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('aggregate_id', 'key',
                        name='uniq_aggregate_metadata0aggregate_id0key'),
    **_ARGS)

quotas = sa.Table(
    'quotas', metadata, _id(),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('resource', sa.String(255), nullable=False),
    sa.Column('hard_limit', sa.Integer),
    *base.timestamps(),
    sa.UniqueConstraint('project_id', 'resource',
                        name='uniq_quotas0project_id0resource'),
    **_ARGS)

key_pairs = sa.Table(
    'key_pairs', metadata, _id(),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255), nullable=False),
    sa.Column('fingerprint', sa.String(255)),
    sa.Column('public_key', sa.Text),
    sa.Column('type', sa.String(16), nullable=False, server_default='ssh'),
    *base.timestamps(),
    sa.UniqueConstraint('user_id', 'name', name='uniq_key_pairs0user_id0name'),
    **_ARGS)

# The local image catalogue (the embedded default of the image plugins).
images = sa.Table(
    'images', metadata, _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('name', sa.String(255)),
    sa.Column('status', sa.String(30), nullable=False),
    sa.Column('visibility', sa.String(20), nullable=False),
    sa.Column('owner', sa.String(255)),
    sa.Column('container_format', sa.String(32)),
    sa.Column('disk_format', sa.String(32)),
    sa.Column('min_disk', sa.Integer, nullable=False, server_default='0'),
    sa.Column('min_ram', sa.Integer, nullable=False, server_default='0'),
    sa.Column('size', sa.BigInteger),
    sa.Column('checksum', sa.String(32)),
    sa.Column('protected', sa.Boolean, nullable=False, default=False),
    # JSON object of the image's other properties (hw_architecture, ...).
    sa.Column('properties', sa.Text),
    *base.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_images0uuid'),
    **_ARGS)

# Addresses the local network plugin handed out: one row per address in use,
# unique per network, so two API workers can never give out the same one.
network_allocations = sa.Table(
    'network_allocations', metadata, _id(),
    sa.Column('network', sa.String(255), nullable=False),
    sa.Column('address', sa.String(64), nullable=False),
    sa.Column('mac_address', sa.String(32), nullable=False),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    sa.Column('project_id', sa.String(255)),
    *base.timestamps(),
    sa.UniqueConstraint('network', 'address',
                        name='uniq_network_allocations0network0address'),
    sa.Index('network_allocations_instance_uuid_idx', 'instance_uuid'),
    **_ARGS)
