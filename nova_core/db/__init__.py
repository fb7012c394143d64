"""The API and cell databases: engines, tables, migrations, data functions."""
