"""nova_core: the core of an OpenStack-Nova-style compute control plane."""

__version__ = "0.1.0"
