"""``nova-core-aio --database-connection --transport-url``: the all-in-one
on MariaDB and the machine's RabbitMQ instead of SQLite and the in-process
bus (both must be running; a missing one fails the test)."""

import uuid

import sqlalchemy as sa

from tests import backends
from tests.functional.aio import conftest
from tests.rabbitmq import shared_vhost  # noqa: F401 (a fixture)

SIBLINGS = ('', '_api', '_cell0', '_placement')


def _databases(action, name):
    server = backends._SERVER_URLS['mysql']
    admin = sa.create_engine(server + '/', isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        for suffix in SIBLINGS:
            if action == 'create':
                conn.exec_driver_sql('CREATE DATABASE %s%s CHARACTER SET '
                                     'utf8mb4' % (name, suffix))
            else:
                conn.exec_driver_sql('DROP DATABASE IF EXISTS %s%s'
                                     % (name, suffix))
    admin.dispose()
    return '%s/%s?charset=utf8mb4' % (server, name)


def test_on_mariadb_and_rabbitmq(tmp_path, shared_vhost):  # noqa: F811
    name = 'nctest_aio_%s' % uuid.uuid4().hex[:10]
    url = _databases('create', name)
    aio = conftest.AIO(tmp_path, tmp_path / 'state')
    try:
        aio.start('--database-connection', url,
                  '--transport-url', shared_vhost)
        server = aio.openstack_json(
            'server', 'create', '--flavor', 'm1.small', '--image', 'cirros',
            '--wait', 'on-mariadb')
        assert server['status'] == 'ACTIVE'
        assert aio.usages() == {'VCPU': 1, 'MEMORY_MB': 2048, 'DISK_GB': 20}
        result = aio.openstack('server', 'delete', '--wait', 'on-mariadb')
        assert result.returncode == 0, result.stderr
        assert aio.usages() == {}
        assert aio.stop() == 0
        # Nothing went to SQLite.
        assert not list((tmp_path / 'state').glob('*.sqlite'))
        engine = sa.create_engine(url.replace('/%s?' % name,
                                              '/%s_api?' % name))
        with engine.connect() as conn:
            flavors = conn.exec_driver_sql(
                'SELECT name FROM flavors').scalars().all()
        engine.dispose()
        assert sorted(flavors) == ['m1.large', 'm1.medium', 'm1.small',
                                   'm1.tiny']
    finally:
        aio.cleanup()
        _databases('drop', name)
