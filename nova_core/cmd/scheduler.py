"""``nova-core-scheduler``: the scheduler service (select_destinations over RPC).

    nova-core-scheduler [--config-file FILE] [--state-dir DIR]
"""

import sys

from nova_core.cmd import assemble
from nova_core.cmd import service_main


def main(argv=None):
    return service_main.run(argv, 'nova-core-scheduler', assemble.scheduler,
                            'Run the nova_core scheduler service.')


if __name__ == '__main__':
    sys.exit(main())
