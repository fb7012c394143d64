"""Instance vm states, task states and power states, with Nova's values.

They travel over RPC and live in the cell databases as these literal
strings and integers; the conductor and the database layer may spell
them as literals (they cannot import a service room).
"""

from nova_core.virt import power_state

# -- vm_state: what the instance is, at rest --------------------------------
BUILDING = 'building'
ACTIVE = 'active'
STOPPED = 'stopped'
ERROR = 'error'
DELETED = 'deleted'

# -- task_state: what is being done to it (None: nothing) -------------------
SCHEDULING = 'scheduling'
BLOCK_DEVICE_MAPPING = 'block_device_mapping'
NETWORKING = 'networking'
SPAWNING = 'spawning'
POWERING_OFF = 'powering-off'
POWERING_ON = 'powering-on'
REBOOTING = 'rebooting'
REBOOTING_HARD = 'rebooting_hard'
DELETING = 'deleting'

# -- power_state: what the hypervisor says (integers, as in Nova) -----------
NOSTATE = power_state.NOSTATE
RUNNING = power_state.RUNNING
PAUSED = power_state.PAUSED
SHUTDOWN = power_state.SHUTDOWN
CRASHED = power_state.CRASHED
SUSPENDED = power_state.SUSPENDED
POWER_STATE_NAMES = power_state.NAMES

# reboot_type of reboot_instance
REBOOT_SOFT = 'SOFT'
REBOOT_HARD = 'HARD'
