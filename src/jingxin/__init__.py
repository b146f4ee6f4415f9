"""jingxin (经信): a platform for a city's Economy and Information Technology bureau."""

from __future__ import annotations

from jingxin.errors import ConfigError, DataError, InputError, JingxinError, NotFoundError

__version__ = "0.1.0"

__all__ = ["ConfigError", "DataError", "InputError", "JingxinError", "NotFoundError", "__version__"]
