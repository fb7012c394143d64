"""Unit tests of placement pieces that need no database."""
