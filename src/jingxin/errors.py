"""The platform's exceptions: one root, subclasses that also inherit the matching built-in."""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DataError",
    "InputError",
    "JingxinError",
    "NotFoundError",
]


class JingxinError(Exception):
    """Root of every error the platform raises on purpose.

    Messages are Chinese sentences for bureau users: they say what was wrong, quote the
    value, and say how to fix it.
    """


class InputError(JingxinError, ValueError):
    """A file, argument or record given to the platform is not what was expected."""


class ConfigError(JingxinError, ValueError):
    """A setting or a configuration file is invalid."""


class DataError(JingxinError, RuntimeError):
    """The stored data cannot answer the question (missing period, empty sample, ...)."""


class NotFoundError(JingxinError, LookupError):
    """A named thing (region, indicator, group, file) does not exist."""
