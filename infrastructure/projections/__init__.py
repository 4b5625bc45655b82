"""Running projections: batched, exactly once, restart-safe, rebuildable without downtime."""
