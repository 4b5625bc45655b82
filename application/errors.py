"""Errors raised by use cases (as opposed to domain rules). Codes are stable."""

from __future__ import annotations

from domain.errors import DomainError, RuleViolation


class NotFound(DomainError):
    """Unknown, or outside the caller's scope: the two must look the same (404)."""

    code = "not_found"
    template = "No {what} with that id."


class Forbidden(DomainError):
    """The caller's role may never do this, or the target region is outside their scope (403)."""

    code = "forbidden"
    template = "Your role ({role}) may not {action}."


class OutOfScope(Forbidden):
    code = "out_of_scope"
    template = "Region {region} is outside your scope."


class AuthenticationFailed(DomainError):
    code = "authentication_failed"
    template = "Wrong username or password."


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    template = "Too many failed logins; try again in {retry_after} seconds."


class LoginsBusy(DomainError):
    """Every password check slot is taken (a flood of logins): answered at once, 503 with
    Retry-After, rather than queued behind the flood."""

    code = "logins_busy"
    template = "Too many logins are being checked right now; please try again in a moment."


class VersionMismatch(DomainError):
    """If-Match named a version that is no longer current (412)."""

    code = "version_mismatch"
    template = "The record has changed: you expected version {expected}, it is now at {current}."


class IdempotencyKeyReused(DomainError):
    """The same Idempotency-Key was sent earlier with another request (422)."""

    code = "idempotency_key_reused"
    template = "This Idempotency-Key was already used for a different request."


class WorkerAlreadyRegistered(RuleViolation):
    code = "worker_already_registered"
    template = "A worker with this NIK is already registered (id {existing_id})."


class WorkerRegisteredElsewhere(RuleViolation):
    """The NIK is registered outside the caller's scope: they learn that much (saving would
    fail anyway), never whom or where (409 without an id)."""

    code = "worker_registered_elsewhere"
    template = (
        "A worker with this NIK is already registered in another area; "
        "ask your coordinator to find the record."
    )


class TooManyNikChecks(TooManyAttempts):
    """Every lookup of a NIK tells whether it is registered: limited per user (429)."""

    code = "too_many_nik_checks"
    template = "Too many NIK checks; try again in {retry_after} seconds."


class TooMuchContention(DomainError):
    """Concurrent writers kept winning; the client should retry (503)."""

    code = "contention"
    template = "The record is being changed by others right now; please retry."


class StoreUnavailable(DomainError):
    code = "store_unavailable"
    template = "The database is not reachable right now; please retry."


class InvalidCursor(DomainError):
    """A report's ``?after=`` that this report did not give: another report's, or made up
    (400, as for one that does not even decode)."""

    code = "invalid_cursor"
    template = "The ?after= cursor is not one this service gave."
