"""Tables of resource providers and of their trait associations."""

import sqlalchemy as sa

from nova_core.placement.db import base

resource_providers = sa.Table(
    'resource_providers', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('name', sa.Unicode(200), nullable=False),
    sa.Column('generation', sa.Integer, nullable=False, default=0),
    # Null only between the INSERT of a root and the UPDATE that points it
    # at itself, inside one transaction.
    sa.Column('root_provider_id', sa.Integer,
              sa.ForeignKey('resource_providers.id',
                            name='fk_resource_providers_root')),
    sa.Column('parent_provider_id', sa.Integer,
              sa.ForeignKey('resource_providers.id',
                            name='fk_resource_providers_parent')),
    *base.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_resource_providers0uuid'),
    sa.UniqueConstraint('name', name='uniq_resource_providers0name'),
    sa.Index('resource_providers_root_provider_id_idx', 'root_provider_id'),
    sa.Index('resource_providers_parent_provider_id_idx',
             'parent_provider_id'),
    **base.TABLE_ARGS)

resource_provider_traits = sa.Table(
    'resource_provider_traits', base.metadata,
    sa.Column('resource_provider_id', sa.Integer,
              sa.ForeignKey('resource_providers.id',
                            name='fk_rp_traits_provider'),
              primary_key=True),
    sa.Column('trait_id', sa.Integer,
              sa.ForeignKey('traits.id', name='fk_rp_traits_trait'),
              primary_key=True),
    *base.timestamps(),
    sa.Index('resource_provider_traits_trait_id_idx', 'trait_id'),
    **base.TABLE_ARGS)
