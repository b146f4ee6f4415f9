"""Investment, projects, targets, pools and reported indicators (issue #5)."""

from __future__ import annotations
