"""Change log of providers, for the allocation-candidate engine's freshness.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def upgrade():
    state = op.create_table(
        'placement_state',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),
        sa.Column('version', sa.BigInteger, nullable=False),
        sa.Column('pruned_below', sa.BigInteger, nullable=False),
        **_ARGS)
    op.create_table(
        'placement_changes',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer, 'sqlite'),
                  primary_key=True, autoincrement=True),
        sa.Column('version', sa.BigInteger, nullable=False),
        sa.Column('resource_provider_id', sa.Integer),
        sa.Index('placement_changes_version_idx', 'version'),
        **_ARGS)
    op.bulk_insert(state, [{'id': 1, 'version': 0, 'pruned_below': 0}])
