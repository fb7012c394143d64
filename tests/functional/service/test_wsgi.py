"""``nova_core.wsgi.placement:application`` under a real WSGI server."""

from tests import servers

ADMIN = {'X-Auth-Token': 'admin',
         'OpenStack-API-Version': 'placement latest'}


def test_gunicorn_serves_the_application(processes, tmp_path):
    database = tmp_path / 'placement.sqlite'
    conf = servers.write_conf(tmp_path / 'placement.conf', {
        'api': {'auth_strategy': 'noauth2'},
        'placement_database': {'connection': 'sqlite:///%s' % database,
                               'sync_on_startup': 'true'}})
    # Two workers import the module, and so build the app and sync the
    # schema, at the same time: the schema lock keeps them apart.
    server = processes.start(
        [servers.script('gunicorn'), '--bind', '127.0.0.1:{port}',
         '--workers', '2', '--graceful-timeout', '5',
         'nova_core.wsgi.placement:application'],
        env={'NOVA_CORE_CONFIG_FILE': conf}, cwd=str(tmp_path),
        name='gunicorn')
    server.wait_ready()
    assert database.is_file()
    for _ in range(4):  # likely to reach both workers
        resp = server.get('/resource_classes/VCPU', headers=ADMIN)
        assert resp.status == 200, resp.body
    resp = server.request('PUT', '/traits/CUSTOM_FROM_GUNICORN',
                          headers=ADMIN)
    assert resp.status == 201, resp.body
    assert server.get('/', headers={}).json()['versions'][0]['id'] == 'v1.0'
    assert server.stop() == 0, server.log()
    log = server.log()
    assert 'Traceback' not in log
    assert log.count('Running upgrade  -> ') == 1, log
