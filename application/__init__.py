"""Use cases of Jejak on top of the domain: one eventsourcing Application, one method per
use case, scope checks in one place, and the ports the infrastructure must provide."""
