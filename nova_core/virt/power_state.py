"""Power states a virt driver reports (``get_info(instance)['state']``).

The integers are Nova's; ``nova_core.compute.states`` re-exports them so that
the compute manager speaks of one set of constants.
"""

NOSTATE = 0
RUNNING = 1
PAUSED = 3
SHUTDOWN = 4
CRASHED = 6
SUSPENDED = 7

NAMES = {
    NOSTATE: 'pending', RUNNING: 'running', PAUSED: 'paused',
    SHUTDOWN: 'shutdown', CRASHED: 'crashed', SUSPENDED: 'suspended',
}
