"""Energy: the energy-use-rights (用能权) ledger (and, to come, key energy users and the
economy read from the grid's data)."""
