"""A real multi-process nova_core cloud: RabbitMQ, MariaDB / PostgreSQL, console scripts."""
