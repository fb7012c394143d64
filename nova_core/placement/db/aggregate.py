"""Tables of aggregates and of provider membership in them."""

import sqlalchemy as sa

from nova_core.placement.db import base

placement_aggregates = sa.Table(
    'placement_aggregates', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('uuid', sa.String(36), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_placement_aggregates0uuid'),
    **base.TABLE_ARGS)

resource_provider_aggregates = sa.Table(
    'resource_provider_aggregates', base.metadata,
    sa.Column('resource_provider_id', sa.Integer,
              sa.ForeignKey('resource_providers.id',
                            name='fk_rp_aggregates_provider'),
              primary_key=True),
    sa.Column('aggregate_id', sa.Integer,
              sa.ForeignKey('placement_aggregates.id',
                            name='fk_rp_aggregates_aggregate'),
              primary_key=True),
    *base.timestamps(),
    sa.Index('resource_provider_aggregates_aggregate_id_idx', 'aggregate_id'),
    **base.TABLE_ARGS)
