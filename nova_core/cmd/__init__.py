"""Console scripts: the services, and the manage CLI."""
