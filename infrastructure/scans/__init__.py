"""Scanned documents: the upload pipeline (``files``) and the encrypted chunk store
(``store``), the infrastructure behind ``application.scan_ports``."""
