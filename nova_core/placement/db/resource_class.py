"""Table of resource classes: the standard ones and CUSTOM_*."""

import sqlalchemy as sa

from nova_core.placement.db import base

# Standard classes get ids 1..N in os-resource-classes order; custom classes
# start here, so that a new standard class never collides with a custom one.
CUSTOM_ID_START = 10000

resource_classes = sa.Table(
    'resource_classes', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),
    sa.Column('name', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('name', name='uniq_resource_classes0name'),
    **base.TABLE_ARGS)
