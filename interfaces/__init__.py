"""The edges people and scripts use: the HTTP API and the ``jejak`` command line."""
