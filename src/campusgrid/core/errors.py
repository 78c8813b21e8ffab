"""Errors that services raise; pages and the API turn them into Chinese messages."""


class ServiceError(Exception):
    """A rule refused the action; `message` is shown to the user as is (Chinese)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        # Every problem of a form at once, by field (the page puts each at its field,
        # the API returns them as `errors`); `message` sums them up.
        self.errors = errors or ({field: message} if field else {})


class NotAllowed(ServiceError):
    """The actor may not do this (403)."""

    status_code = 403


class Conflict(ServiceError):
    """The object changed meanwhile or is in the wrong state (409)."""

    status_code = 409
