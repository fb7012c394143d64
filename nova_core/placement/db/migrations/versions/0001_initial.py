"""Initial placement schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def _timestamps():
    return [sa.Column('created_at', sa.DateTime),
            sa.Column('updated_at', sa.DateTime)]


def upgrade():
    op.create_table(
        'resource_classes',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),
        sa.Column('name', sa.String(255), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('name', name='uniq_resource_classes0name'),
        **_ARGS)
    op.create_table(
        'traits',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('name', sa.String(255), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('name', name='uniq_traits0name'),
        **_ARGS)
    op.create_table(
        'resource_providers',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.Unicode(200), nullable=False),
        sa.Column('generation', sa.Integer, nullable=False),
        sa.Column('root_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id',
                                name='fk_resource_providers_root')),
        sa.Column('parent_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id',
                                name='fk_resource_providers_parent')),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_resource_providers0uuid'),
        sa.UniqueConstraint('name', name='uniq_resource_providers0name'),
        sa.Index('resource_providers_root_provider_id_idx',
                 'root_provider_id'),
        sa.Index('resource_providers_parent_provider_id_idx',
                 'parent_provider_id'),
        **_ARGS)
    op.create_table(
        'resource_provider_traits',
        sa.Column('resource_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id',
                                name='fk_rp_traits_provider'),
                  primary_key=True),
        sa.Column('trait_id', sa.Integer,
                  sa.ForeignKey('traits.id', name='fk_rp_traits_trait'),
                  primary_key=True),
        *_timestamps(),
        sa.Index('resource_provider_traits_trait_id_idx', 'trait_id'),
        **_ARGS)
    op.create_table(
        'placement_aggregates',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_placement_aggregates0uuid'),
        **_ARGS)
    op.create_table(
        'resource_provider_aggregates',
        sa.Column('resource_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id',
                                name='fk_rp_aggregates_provider'),
                  primary_key=True),
        sa.Column('aggregate_id', sa.Integer,
                  sa.ForeignKey('placement_aggregates.id',
                                name='fk_rp_aggregates_aggregate'),
                  primary_key=True),
        *_timestamps(),
        sa.Index('resource_provider_aggregates_aggregate_id_idx',
                 'aggregate_id'),
        **_ARGS)
    op.create_table(
        'inventories',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('resource_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id',
                                name='fk_inventories_provider'),
                  nullable=False),
        sa.Column('resource_class_id', sa.Integer,
                  sa.ForeignKey('resource_classes.id',
                                name='fk_inventories_resource_class'),
                  nullable=False),
        sa.Column('total', sa.Integer, nullable=False),
        sa.Column('reserved', sa.Integer, nullable=False),
        sa.Column('min_unit', sa.Integer, nullable=False),
        sa.Column('max_unit', sa.Integer, nullable=False),
        sa.Column('step_size', sa.Integer, nullable=False),
        sa.Column('allocation_ratio', sa.Float, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint(
            'resource_provider_id', 'resource_class_id',
            name='uniq_inventories0resource_provider_resource_class'),
        sa.Index('inventories_resource_class_id_idx', 'resource_class_id'),
        **_ARGS)
    op.create_table(
        'allocations',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('resource_provider_id', sa.Integer,
                  sa.ForeignKey('resource_providers.id',
                                name='fk_allocations_provider'),
                  nullable=False),
        sa.Column('consumer_id', sa.String(36), nullable=False),
        sa.Column('resource_class_id', sa.Integer,
                  sa.ForeignKey('resource_classes.id',
                                name='fk_allocations_resource_class'),
                  nullable=False),
        sa.Column('used', sa.Integer, nullable=False),
        *_timestamps(),
        sa.Index('allocations_resource_provider_class_used_idx',
                 'resource_provider_id', 'resource_class_id', 'used'),
        sa.Index('allocations_consumer_id_idx', 'consumer_id'),
        sa.Index('allocations_resource_class_id_idx', 'resource_class_id'),
        **_ARGS)
    for table in ('projects', 'users'):
        op.create_table(
            table,
            sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
            sa.Column('external_id', sa.String(255), nullable=False),
            *_timestamps(),
            sa.UniqueConstraint('external_id',
                                name='uniq_%s0external_id' % table),
            **_ARGS)
    op.create_table(
        'consumer_types',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('name', sa.String(255), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('name', name='uniq_consumer_types0name'),
        **_ARGS)
    op.create_table(
        'consumers',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('project_id', sa.Integer,
                  sa.ForeignKey('projects.id', name='fk_consumers_project'),
                  nullable=False),
        sa.Column('user_id', sa.Integer,
                  sa.ForeignKey('users.id', name='fk_consumers_user'),
                  nullable=False),
        sa.Column('generation', sa.Integer, nullable=False),
        sa.Column('consumer_type_id', sa.Integer,
                  sa.ForeignKey('consumer_types.id',
                                name='fk_consumers_consumer_type')),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_consumers0uuid'),
        sa.Index('consumers_project_id_user_id_uuid_idx',
                 'project_id', 'user_id', 'uuid'),
        **_ARGS)
