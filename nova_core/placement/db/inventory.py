"""Table of inventories: what each provider has of each resource class."""

import sqlalchemy as sa

from nova_core.placement.db import base

inventories = sa.Table(
    'inventories', base.metadata,
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
    *base.timestamps(),
    sa.UniqueConstraint('resource_provider_id', 'resource_class_id',
                        name='uniq_inventories0resource_provider_resource_class'),
    sa.Index('inventories_resource_class_id_idx', 'resource_class_id'),
    **base.TABLE_ARGS)
