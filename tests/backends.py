"""Databases the tests run on: SQLite files, and MariaDB / PostgreSQL servers.

The servers are the machine's (127.0.0.1, MariaDB root without password,
PostgreSQL trust). A test that asks for one of them always runs: if the
server is down the test fails, it is never skipped. URLs can be changed
with NOVA_CORE_TEST_MYSQL_URL / NOVA_CORE_TEST_POSTGRESQL_URL (a server URL
without database name).
"""

import os
import uuid

import sqlalchemy as sa

BACKENDS = ('sqlite', 'mysql', 'postgresql')

_SERVER_URLS = {
    'mysql': os.environ.get('NOVA_CORE_TEST_MYSQL_URL',
                            'mysql+pymysql://root@127.0.0.1:3306'),
    'postgresql': os.environ.get('NOVA_CORE_TEST_POSTGRESQL_URL',
                                 'postgresql+psycopg2://postgres@127.0.0.1:5432'),
}


class Database:
    """A fresh, empty database on one backend, dropped by :meth:`drop`."""

    def __init__(self, backend, tmp_dir):
        self.backend = backend
        self.name = 'nova_core_test_%s' % uuid.uuid4().hex[:12]
        if backend == 'sqlite':
            self.url = 'sqlite:///%s' % os.path.join(tmp_dir, self.name)
            return
        server = _SERVER_URLS[backend]
        admin = sa.create_engine(
            server + ('/postgres' if backend == 'postgresql' else '/'),
            isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            if backend == 'mysql':
                conn.exec_driver_sql(
                    'CREATE DATABASE %s CHARACTER SET utf8mb4' % self.name)
            else:
                conn.exec_driver_sql('CREATE DATABASE %s' % self.name)
        admin.dispose()
        self.url = '%s/%s' % (server, self.name)
        if backend == 'mysql':
            self.url += '?charset=utf8mb4'

    def drop(self):
        if self.backend == 'sqlite':
            return
        server = _SERVER_URLS[self.backend]
        admin = sa.create_engine(
            server + ('/postgres' if self.backend == 'postgresql' else '/'),
            isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            if self.backend == 'postgresql':
                conn.exec_driver_sql(
                    'DROP DATABASE IF EXISTS %s WITH (FORCE)' % self.name)
            else:
                conn.exec_driver_sql('DROP DATABASE IF EXISTS %s' % self.name)
        admin.dispose()
