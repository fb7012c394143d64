"""Key pairs, the local image catalogue and the local network's addresses.

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

_ARGS = dict(mysql_charset='utf8mb4', mysql_engine='InnoDB')


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=True),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def upgrade():
    op.create_table(
        'key_pairs',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.String(length=255), nullable=False),
        sa.Column('fingerprint', sa.String(length=255), nullable=True),
        sa.Column('public_key', sa.Text(), nullable=True),
        sa.Column('type', sa.String(length=16), server_default='ssh',
                  nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'name',
                            name='uniq_key_pairs0user_id0name'),
        **_ARGS)
    op.create_table(
        'images',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('status', sa.String(length=30), nullable=False),
        sa.Column('visibility', sa.String(length=20), nullable=False),
        sa.Column('owner', sa.String(length=255), nullable=True),
        sa.Column('container_format', sa.String(length=32), nullable=True),
        sa.Column('disk_format', sa.String(length=32), nullable=True),
        sa.Column('min_disk', sa.Integer(), server_default='0',
                  nullable=False),
        sa.Column('min_ram', sa.Integer(), server_default='0',
                  nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('checksum', sa.String(length=32), nullable=True),
        sa.Column('protected', sa.Boolean(), nullable=False),
        sa.Column('properties', sa.Text(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid', name='uniq_images0uuid'),
        **_ARGS)
    op.create_table(
        'network_allocations',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('network', sa.String(length=255), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('mac_address', sa.String(length=32), nullable=False),
        sa.Column('instance_uuid', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('network', 'address',
                            name='uniq_network_allocations0network0address'),
        **_ARGS)
    op.create_index('network_allocations_instance_uuid_idx',
                    'network_allocations', ['instance_uuid'])

