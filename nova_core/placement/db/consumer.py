"""Tables of consumers, the projects and users owning them, consumer types."""

import sqlalchemy as sa

from nova_core.placement.db import base

projects = sa.Table(
    'projects', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('external_id', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('external_id', name='uniq_projects0external_id'),
    **base.TABLE_ARGS)

users = sa.Table(
    'users', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('external_id', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('external_id', name='uniq_users0external_id'),
    **base.TABLE_ARGS)

consumer_types = sa.Table(
    'consumer_types', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('name', sa.String(255), nullable=False),
    *base.timestamps(),
    sa.UniqueConstraint('name', name='uniq_consumer_types0name'),
    **base.TABLE_ARGS)

consumers = sa.Table(
    'consumers', base.metadata,
    sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('project_id', sa.Integer,
              sa.ForeignKey('projects.id', name='fk_consumers_project'),
              nullable=False),
    sa.Column('user_id', sa.Integer,
              sa.ForeignKey('users.id', name='fk_consumers_user'),
              nullable=False),
    sa.Column('generation', sa.Integer, nullable=False, default=0),
    sa.Column('consumer_type_id', sa.Integer,
              sa.ForeignKey('consumer_types.id',
                            name='fk_consumers_consumer_type')),
    *base.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_consumers0uuid'),
    sa.Index('consumers_project_id_user_id_uuid_idx',
             'project_id', 'user_id', 'uuid'),
    **base.TABLE_ARGS)
