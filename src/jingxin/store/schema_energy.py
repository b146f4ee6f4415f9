"""The store's energy tables (issue #13), the migrations ``schema.py`` lists: the 用能权
ledger, the grid's daily readings and the capacity ledger."""

from __future__ import annotations

__all__ = ["CAPACITY", "ENERGY", "GRID_DAILY"]

# ``{provenance}``: the columns every imported row carries, filled in by ``schema.py``.
# The energy-use-rights (用能权) ledger (issue #13). Quantities are whole kilograms of
# standard coal (kgce; 1 tce = 1,000 kgce) so that sums are exact. Every movement is one
# journal entry that takes ``kgce`` from one account and gives it to another; nothing is
# updated or deleted (a mistake is reversed by a new entry). ``energy_balance`` is the
# state the journal implies, kept in the same transaction and recomputable from it; each
# entry's ``hash`` chains the previous entry's, so a changed row breaks the chain.
ENERGY = """
CREATE TABLE energy_account (
    account VARCHAR PRIMARY KEY,    -- 'reserve', 'issuance' or an enterprise's credit code
    kind VARCHAR NOT NULL CHECK (kind IN ('issuance', 'reserve', 'enterprise')),
    uscc VARCHAR,                   -- the enterprise of an enterprise account
    opened_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'enterprise') = (uscc IS NOT NULL))
);
CREATE TABLE energy_entry (
    seq BIGINT PRIMARY KEY,         -- the journal's order, 1, 2, 3 …
    id VARCHAR NOT NULL UNIQUE,     -- the client's id: a transfer is applied at most once
    kind VARCHAR NOT NULL CHECK (kind IN ('allocate', 'transfer', 'release', 'reverse')),
    from_account VARCHAR NOT NULL,
    to_account VARCHAR NOT NULL,
    kgce BIGINT NOT NULL CHECK (kgce > 0),
    price DECIMAL(18, 2),           -- 元 per tce, for a trade
    year INTEGER,                   -- the allocation's year
    reverses VARCHAR,               -- the id of the entry a reversal undoes
    memo VARCHAR,
    body_sha256 VARCHAR NOT NULL,   -- the request as given: a retry must match it
    actor VARCHAR NOT NULL,
    entered_at TIMESTAMP NOT NULL,
    prev_hash VARCHAR NOT NULL,
    hash VARCHAR NOT NULL UNIQUE,
    CHECK (from_account <> to_account)
);
CREATE TABLE energy_balance (
    account VARCHAR PRIMARY KEY,
    kgce BIGINT NOT NULL,           -- received minus given; only 'issuance' goes below zero
    last_seq BIGINT NOT NULL
);
CREATE TABLE energy_application (  -- a trade between enterprises: application → approval
    id VARCHAR PRIMARY KEY,         -- the client's id; also the id of the approved transfer
    seller VARCHAR NOT NULL,
    buyer VARCHAR NOT NULL,
    kgce BIGINT NOT NULL CHECK (kgce > 0),
    price DECIMAL(18, 2),
    note VARCHAR,
    body_sha256 VARCHAR NOT NULL,
    applied_by VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by VARCHAR,
    decided_at TIMESTAMP,
    decision VARCHAR,
    transfer_id VARCHAR,
    CHECK (seller <> buyer)
);
CREATE TABLE energy_rejection (
    rejected_at TIMESTAMP NOT NULL,
    id VARCHAR,
    kind VARCHAR,
    body VARCHAR NOT NULL,          -- the request as given (JSON)
    reason VARCHAR NOT NULL,        -- a code of jingxin.energy.reasons
    message VARCHAR NOT NULL,
    actor VARCHAR NOT NULL
);
"""

# Daily electricity by meter (issue #13): the grid's daily export, what resumption after the
# Spring Festival and the effect of a production restriction are read from. Keyed by
# (account, day), without an index: a city's quarter is tens of millions of rows, a file
# holds one month and replaces that month's earlier file, and ingest refuses a key twice.
# An account the crosswalk does not know yet is kept: it counts once ``grid_account``
# names its enterprise.
GRID_DAILY = """
CREATE TABLE meter_daily (
    account VARCHAR NOT NULL,       -- 户号 of the power grid
    day DATE NOT NULL,
    kwh DOUBLE NOT NULL,            -- 万千瓦时 used that day
    {provenance}
);
"""

# The capacity ledger (issue #13): eliminated backward capacity (淘汰落后产能) and the
# "低小散" workshops put right, case by case. A workshop need not be a registered
# enterprise (``uscc`` NULL), so the county is the case's own. The summary's
# green-development counts and the energy freed are computed from these rows.
CAPACITY = """
CREATE TABLE capacity_case (
    case_id VARCHAR PRIMARY KEY,    -- 台账编号, as the county numbers it
    kind VARCHAR NOT NULL CHECK (kind IN ('backward', 'small_scattered')),
    name VARCHAR NOT NULL,          -- the enterprise or workshop as written
    uscc VARCHAR,                   -- when it is a registered enterprise
    region_code VARCHAR NOT NULL,
    closed_on DATE NOT NULL,        -- the day the case was completed
    capacity VARCHAR,               -- 淘汰产能 as written (印染生产线 2 条)
    energy_freed DOUBLE,            -- 腾出用能, 吨标准煤
    measure VARCHAR,                -- 关停, 淘汰设备, 整治提升 …
    {provenance}
);
"""
