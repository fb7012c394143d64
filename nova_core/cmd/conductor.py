"""``nova-core-conductor``: the conductor service (builds, reschedules, the computes' object proxy).

    nova-core-conductor [--config-file FILE] [--state-dir DIR]
"""

import sys

from nova_core.cmd import assemble
from nova_core.cmd import service_main


def main(argv=None):
    return service_main.run(argv, 'nova-core-conductor', assemble.conductor,
                            'Run the nova_core conductor service.')


if __name__ == '__main__':
    sys.exit(main())
