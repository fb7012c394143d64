"""The core build flow across processes with every database on PostgreSQL."""

import pytest

from nova_core.db import cells as db_cells
from nova_core.db import flavor as db_flavor
from tests.functional.multiprocess import deployment
from tests.functional.multiprocess import probes

pytestmark = pytest.mark.slow


def test_build_and_no_valid_host_on_postgresql(tmp_path):
    cloud = deployment.Deployment(tmp_path, backend='postgresql', cells=2,
                                  hosts_per_cell=1)
    cloud.start()
    try:
        uuids = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                     cloud.image, 'pg', min_count=3,
                                     max_count=3)
        with cloud.cells.api.writer(cloud.ctx) as conn:
            huge = db_flavor.create(conn, 'm1.huge', 512, 1, root_gb=10 ** 6,
                                    flavorid='m1.huge')
        [doomed] = cloud.servers.create(cloud.ctx, huge, cloud.image, 'huge')
        shown = cloud.wait_for(uuids + [doomed], timeout=90)
        assert {shown[u]['vm_state'] for u in uuids} == {'active'}, shown
        assert ({shown[u]['cell_uuid'] for u in uuids}
                == set(cloud.cell_uuids.values()))
        assert shown[doomed]['vm_state'] == 'error'
        assert shown[doomed]['cell_uuid'] == db_cells.CELL0_UUID
        assert 'No valid host' in shown[doomed]['fault']['message']
        assert cloud.usages() == {'VCPU': 3, 'MEMORY_MB': 3 * 2048,
                                  'DISK_GB': 3 * 20}
        cloud.servers.delete(cloud.ctx, uuids[0])
        probes.wait_until(
            lambda: cloud.usages() == {'VCPU': 2, 'MEMORY_MB': 2 * 2048,
                                       'DISK_GB': 2 * 20}, 30, 'usage freed')
    finally:
        cloud.stop()
        print('deployment timings: %s' % cloud.timings)
