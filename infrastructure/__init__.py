"""Persistence, crypto, settings and other edges, wired into the application at start."""
