"""Building scheduler inputs without a cloud: host states, request specs.

The fixtures live in the installed library, ``nova_core.testing.scheduler``,
so that authors of filter and weigher plugins can use them from their own
tests (see plugins/nova_core_example_plugins/README.md); this module keeps
the name nova_core's tests have always imported::

    from tests import scheduler_fixtures as sf

    conf = sf.make_conf(filter_scheduler__ram_weight_multiplier=-1.0)
    hosts = [sf.host_state('h1', memory_mb=4096), sf.host_state('h2')]
    spec = sf.request_spec(memory_mb=2048, extra_specs={'capabilities:x': 'y'})
"""

from nova_core.testing.scheduler import CELL1  # noqa: F401
from nova_core.testing.scheduler import CELL2  # noqa: F401
from nova_core.testing.scheduler import StubHostManager  # noqa: F401
from nova_core.testing.scheduler import add_compute_node  # noqa: F401
from nova_core.testing.scheduler import aggregate  # noqa: F401
from nova_core.testing.scheduler import host_state  # noqa: F401
from nova_core.testing.scheduler import instance_group  # noqa: F401
from nova_core.testing.scheduler import load_filters  # noqa: F401
from nova_core.testing.scheduler import load_weighers  # noqa: F401
from nova_core.testing.scheduler import make_conf  # noqa: F401
from nova_core.testing.scheduler import request_spec  # noqa: F401
from nova_core.testing.scheduler import run_filters  # noqa: F401
from nova_core.testing.scheduler import weigh  # noqa: F401
