"""Table of traits: the standard ones (os-traits) and CUSTOM_*."""

import sqlalchemy as sa

from nova_core.placement.db import base

traits = sa.Table(
    'traits', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('name', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('name', name='uniq_traits0name'),
    **base.TABLE_ARGS)
