"""Tables of a cell database (Nova's "main" database); cell0 has the same."""

import sqlalchemy as sa

from nova_core.db import base

metadata = sa.MetaData()
_ARGS = base.TABLE_ARGS


def _id():
    return sa.Column('id', sa.Integer, primary_key=True, autoincrement=True)


instances = sa.Table(
    'instances', metadata, _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('project_id', sa.String(255)),
    sa.Column('user_id', sa.String(255)),
    sa.Column('display_name', sa.String(255)),
    sa.Column('hostname', sa.String(255)),
    sa.Column('host', sa.String(255)),
    sa.Column('node', sa.String(255)),
    sa.Column('compute_id', sa.BigInteger),
    sa.Column('vm_state', sa.String(255)),
    sa.Column('task_state', sa.String(255)),
    sa.Column('power_state', sa.Integer),
    sa.Column('image_ref', sa.String(255)),
    sa.Column('availability_zone', sa.String(255)),
    sa.Column('launch_index', sa.Integer),
    sa.Column('launched_at', sa.DateTime),
    sa.Column('terminated_at', sa.DateTime),
    *base.timestamps(),
    *base.soft_delete_columns(),
    sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
    sa.Index('instances_host_node_deleted_idx', 'host', 'node', 'deleted'),
    sa.Index('instances_project_id_deleted_idx', 'project_id', 'deleted'),
    **_ARGS)

instance_extra = sa.Table(
    'instance_extra', metadata, _id(),
    sa.Column('instance_uuid', sa.String(36),
              sa.ForeignKey('instances.uuid', name='instance_extra_fk'),
              nullable=False),
    # The flavor the instance was built with, as JSON.
    sa.Column('flavor', sa.Text),
    *base.timestamps(),
    sa.UniqueConstraint('instance_uuid',
                        name='uniq_instance_extra0instance_uuid'),
    **_ARGS)


def _key_value(name, fk_name):
    return sa.Table(
        name, metadata, _id(),
        sa.Column('instance_uuid', sa.String(36),
                  sa.ForeignKey('instances.uuid', name=fk_name),
                  nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('value', sa.Text),
        *base.timestamps(),
        sa.UniqueConstraint('instance_uuid', 'key',
                            name='uniq_%s0instance_uuid0key' % name),
        **_ARGS)


instance_metadata = _key_value('instance_metadata', 'instance_metadata_fk')
instance_system_metadata = _key_value('instance_system_metadata',
                                      'instance_system_metadata_fk')

instance_faults = sa.Table(
    'instance_faults', metadata, _id(),
    sa.Column('instance_uuid', sa.String(36),
              sa.ForeignKey('instances.uuid', name='instance_faults_fk'),
              nullable=False),
    sa.Column('code', sa.Integer, nullable=False),
    sa.Column('message', sa.String(255)),
    # Free text; the conductor's NoValidHost explanation as JSON.
    sa.Column('details', sa.Text),
    sa.Column('host', sa.String(255)),
    *base.timestamps(),
    sa.Index('instance_faults_instance_uuid_idx', 'instance_uuid'),
    **_ARGS)

instance_actions = sa.Table(
    'instance_actions', metadata, _id(),
    sa.Column('action', sa.String(255), nullable=False),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    sa.Column('request_id', sa.String(255)),
    sa.Column('user_id', sa.String(255)),
    sa.Column('project_id', sa.String(255)),
    sa.Column('start_time', sa.DateTime),
    sa.Column('finish_time', sa.DateTime),
    sa.Column('message', sa.String(255)),
    *base.timestamps(),
    sa.Index('instance_actions_instance_uuid_request_id_idx',
             'instance_uuid', 'request_id'),
    **_ARGS)

instance_actions_events = sa.Table(
    'instance_actions_events', metadata, _id(),
    sa.Column('action_id', sa.Integer,
              sa.ForeignKey('instance_actions.id',
                            name='instance_actions_events_fk'),
              nullable=False),
    sa.Column('event', sa.String(255), nullable=False),
    sa.Column('start_time', sa.DateTime),
    sa.Column('finish_time', sa.DateTime),
    sa.Column('result', sa.String(255)),
    sa.Column('traceback', sa.Text),
    sa.Column('host', sa.String(255)),
    sa.Column('details', sa.Text),
    *base.timestamps(),
    sa.Index('instance_actions_events_action_id_idx', 'action_id'),
    **_ARGS)

compute_nodes = sa.Table(
    'compute_nodes', metadata, _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('service_id', sa.Integer),
    sa.Column('host', sa.String(255), nullable=False),
    sa.Column('hypervisor_hostname', sa.String(255), nullable=False),
    sa.Column('vcpus', sa.Integer, nullable=False, default=0),
    sa.Column('memory_mb', sa.Integer, nullable=False, default=0),
    sa.Column('local_gb', sa.Integer, nullable=False, default=0),
    sa.Column('vcpus_used', sa.Integer, nullable=False, default=0),
    sa.Column('memory_mb_used', sa.Integer, nullable=False, default=0),
    sa.Column('local_gb_used', sa.Integer, nullable=False, default=0),
    sa.Column('free_ram_mb', sa.Integer),
    sa.Column('free_disk_gb', sa.Integer),
    sa.Column('disk_available_least', sa.Integer),
    sa.Column('running_vms', sa.Integer, nullable=False, default=0),
    sa.Column('hypervisor_type', sa.String(255)),
    sa.Column('hypervisor_version', sa.Integer),
    sa.Column('cpu_info', sa.Text),
    sa.Column('host_ip', sa.String(39)),
    sa.Column('stats', sa.Text),
    sa.Column('cpu_allocation_ratio', sa.Float),
    sa.Column('ram_allocation_ratio', sa.Float),
    sa.Column('disk_allocation_ratio', sa.Float),
    # 1 once discover_hosts has mapped the host (Nova's flag).
    sa.Column('mapped', sa.Integer, nullable=False, default=0),
    *base.timestamps(),
    *base.soft_delete_columns(),
    sa.UniqueConstraint('uuid', name='uniq_compute_nodes0uuid'),
    sa.UniqueConstraint(
        'host', 'hypervisor_hostname', 'deleted',
        name='uniq_compute_nodes0host0hypervisor_hostname0deleted'),
    **_ARGS)

services = sa.Table(
    'services', metadata, _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('host', sa.String(255), nullable=False),
    sa.Column('binary', sa.String(255), nullable=False),
    sa.Column('topic', sa.String(255)),
    sa.Column('report_count', sa.Integer, nullable=False, default=0),
    sa.Column('disabled', sa.Boolean, nullable=False, default=False),
    sa.Column('disabled_reason', sa.String(255)),
    sa.Column('last_seen_up', sa.DateTime),
    sa.Column('forced_down', sa.Boolean, nullable=False, default=False),
    sa.Column('version', sa.Integer, nullable=False, default=0),
    *base.timestamps(),
    *base.soft_delete_columns(),
    sa.UniqueConstraint('uuid', name='uniq_services0uuid'),
    sa.UniqueConstraint('host', 'binary', 'deleted',
                        name='uniq_services0host0binary0deleted'),
    **_ARGS)

migrations = sa.Table(
    'migrations', metadata, _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    sa.Column('migration_type', sa.String(255)),
    sa.Column('status', sa.String(255)),
    sa.Column('source_compute', sa.String(255)),
    sa.Column('source_node', sa.String(255)),
    sa.Column('dest_compute', sa.String(255)),
    sa.Column('dest_node', sa.String(255)),
    sa.Column('dest_host', sa.String(255)),
    sa.Column('old_flavor_id', sa.Integer),
    sa.Column('new_flavor_id', sa.Integer),
    sa.Column('hidden', sa.Boolean, nullable=False, default=False),
    sa.Column('cross_cell_move', sa.Boolean, nullable=False, default=False),
    sa.Column('user_id', sa.String(255)),
    sa.Column('project_id', sa.String(255)),
    *base.timestamps(),
    *base.soft_delete_columns(),
    sa.UniqueConstraint('uuid', name='uniq_migrations0uuid'),
    sa.Index('migrations_instance_uuid_idx', 'instance_uuid'),
    **_ARGS)
