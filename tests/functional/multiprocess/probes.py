"""Looking at a cloud from outside: polling, and the sockets a process holds."""

import os
import time


def wait_until(predicate, timeout, what, interval=0.5, on_timeout=None):
    """Poll *predicate* until it returns a true value; that value.

    *on_timeout* returns more text for the failure message.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('%s: not after %ss\n%s' % (
                what, timeout, on_timeout() if on_timeout else ''))
        time.sleep(interval)


def tcp_peer_ports(pid):
    """Remote TCP ports of the sockets process *pid* holds open."""
    inodes = set()
    fd_dir = '/proc/%d/fd' % pid
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith('socket:['):
            inodes.add(target[len('socket:['):-1])
    ports = set()
    for table in ('tcp', 'tcp6'):
        try:
            with open('/proc/%d/net/%s' % (pid, table)) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            # local_address rem_address st ... inode (the 10th field)
            if fields[9] in inodes:
                ports.add(int(fields[2].rsplit(':', 1)[1], 16))
    return ports
