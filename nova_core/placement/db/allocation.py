"""Table of allocations: what each consumer uses of each provider."""

import sqlalchemy as sa

from nova_core.placement.db import base

allocations = sa.Table(
    'allocations', base.metadata,
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
    *base.timestamps(),
    sa.Index('allocations_resource_provider_class_used_idx',
             'resource_provider_id', 'resource_class_id', 'used'),
    sa.Index('allocations_consumer_id_idx', 'consumer_id'),
    sa.Index('allocations_resource_class_id_idx', 'resource_class_id'),
    **base.TABLE_ARGS)
