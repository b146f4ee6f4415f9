"""The store's schema as an ordered list of migrations.

Each migration is applied once, in order, inside a transaction, and recorded in
``schema_version``. Never edit a released migration: add a new one.

Units are part of the schema: money in 万元, electricity in 万千瓦时, energy in 吨标准煤,
employees in persons, land in 亩; the ``measure`` table states each measure's unit.
"""

from __future__ import annotations

from jingxin.store.schema_energy import CAPACITY, ENERGY, GRID_DAILY

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "V1_SOURCE_TABLES"]

# Columns every loaded row carries: which file (source_file.id) and which row of it.
_PROVENANCE = "source_file_id INTEGER NOT NULL, source_row INTEGER NOT NULL"

# Measures reported on the statistics bureau's monthly forms, year to date (1-M月累计),
# each with the same enterprise's value for the same period last year (上年同期).
FACT_MEASURES = (
    "gross_output",
    "sales_output",
    "export_delivery",
    "new_product_output",
    "value_added",
    "revenue",
    "profit",
    "taxes",
    "employees",
    "energy",
)

_fact_cols = ",\n    ".join(f"{m} DOUBLE, {m}_prior DOUBLE" for m in FACT_MEASURES)

_V1 = f"""
CREATE TABLE source_file (
    id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,          -- what the file holds (demo, stats_monthly, grid, ...)
    name VARCHAR NOT NULL,          -- file name as received, or a generator's description
    sha256 VARCHAR NOT NULL,        -- content hash: the same file twice is a no-op
    period VARCHAR,                 -- YYYY-MM or YYYY the file reports on, when it has one
    rows INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR NOT NULL
);
CREATE UNIQUE INDEX source_file_sha ON source_file(kind, sha256);

CREATE TABLE region (
    code VARCHAR PRIMARY KEY,       -- GB/T 2260
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    parent VARCHAR
);

CREATE TABLE measure (
    key VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,         -- Chinese name as used in reports
    unit VARCHAR NOT NULL,          -- unit of the stored values
    price_basis VARCHAR NOT NULL    -- 'comparable' (deflated by PPI for growth) or 'current'
);

CREATE TABLE enterprise (
    uscc VARCHAR PRIMARY KEY,       -- 统一社会信用代码, GB 32100-2015, check digit validated
    name VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,   -- county-level GB/T 2260 code
    platform VARCHAR,               -- key industrial platform (园区), if any
    industry_code VARCHAR NOT NULL, -- GB/T 4754 小类
    industry_edition VARCHAR NOT NULL,
    founded DATE,
    land_mu DOUBLE,                 -- 用地面积, 亩
    flags VARCHAR[] NOT NULL,       -- product-level group flags (strategic_emerging, ...)
    {_PROVENANCE}
);

CREATE TABLE enterprise_scale (
    uscc VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    scale VARCHAR NOT NULL CHECK (scale IN ('above', 'below')),  -- 规上 / 规下 in that year
    {_PROVENANCE},
    PRIMARY KEY (uscc, year)
);

CREATE TABLE enterprise_status (
    uscc VARCHAR NOT NULL,
    valid_from DATE NOT NULL,
    status VARCHAR NOT NULL,        -- operating, suspended, closed, deregistered
    reason VARCHAR,
    {_PROVENANCE},
    PRIMARY KEY (uscc, valid_from)
);

CREATE TABLE monthly_fact (
    uscc VARCHAR NOT NULL,
    period VARCHAR NOT NULL,        -- YYYY-MM; values are 1-M月累计 (year to date)
    {_fact_cols},
    {_PROVENANCE},
    PRIMARY KEY (uscc, period)
);

CREATE TABLE electricity (
    uscc VARCHAR NOT NULL,
    period VARCHAR NOT NULL,        -- YYYY-MM; single-month use
    kwh DOUBLE NOT NULL,            -- 万千瓦时 (10,000 kWh)
    {_PROVENANCE},
    PRIMARY KEY (uscc, period)
);

CREATE TABLE price_index (
    division VARCHAR NOT NULL,      -- GB/T 4754 大类 (two digits)
    period VARCHAR NOT NULL,        -- YYYY-MM, year-to-date index, same period last year = 100
    ppi DOUBLE NOT NULL,
    {_PROVENANCE},
    PRIMARY KEY (division, period)
);

CREATE TABLE peer_figure (
    indicator VARCHAR NOT NULL,     -- measure or reported indicator key
    region_code VARCHAR NOT NULL,   -- another city, or the province
    period VARCHAR NOT NULL,        -- YYYY-MM (year to date) or YYYY
    value DOUBLE,
    growth_pct DOUBLE,
    {_PROVENANCE},
    PRIMARY KEY (indicator, region_code, period)
);

CREATE TABLE reported_value (
    indicator VARCHAR NOT NULL,     -- counts and amounts counties report
    region_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,        -- YYYY or YYYY-MM
    value DOUBLE NOT NULL,
    {_PROVENANCE},
    PRIMARY KEY (indicator, region_code, period)
);

CREATE TABLE audit_log (
    logged_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    row_key VARCHAR NOT NULL,
    before JSON,
    after JSON
);

CREATE TABLE cube (
    period VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    region_level VARCHAR NOT NULL,  -- city or county
    group_key VARCHAR NOT NULL,     -- 'all' or an industry group
    measure VARCHAR NOT NULL,
    n_enterprises BIGINT,
    value DOUBLE,                   -- current prices, unit of the measure
    prior DOUBLE,                   -- same sample, same period last year
    value_const DOUBLE,             -- at last year's prices (comparable measures)
    growth_pct DOUBLE,
    share_pct DOUBLE,
    prior_share_pct DOUBLE,
    share_change_pp DOUBLE,
    change_pp DOUBLE,               -- ratio measures: this year's ratio minus last year's
    contribution_pct DOUBLE,        -- group rows: part's increase / total increase;
                                    -- ratio rows: numerator's increase / denominator's
    pull_pp DOUBLE,
    county_rank_value INTEGER,
    county_rank_growth INTEGER,
    province_rank_value INTEGER,
    province_rank_growth INTEGER,
    province_growth_pct DOUBLE,
    above_province_pp DOUBLE,
    PRIMARY KEY (period, region_code, group_key, measure)
);
"""

# Department sources other than the statistics bureau's monthly form (issue #4), and the
# per-enterprise annual inputs of the 亩均效益 evaluation (issue #3).
V1_SOURCE_TABLES = (
    "enterprise",
    "enterprise_scale",
    "enterprise_status",
    "monthly_fact",
    "electricity",
    "price_index",
    "peer_figure",
    "reported_value",
)
_SHEET = "source_sheet VARCHAR"  # the worksheet a row came from (NULL for CSV and generated data)
_PROVENANCE2 = f"{_PROVENANCE}, {_SHEET}"
_add_sheet = "\n".join(f"ALTER TABLE {t} ADD COLUMN {_SHEET};" for t in V1_SOURCE_TABLES)

_V2 = f"""
ALTER TABLE source_file ADD COLUMN status VARCHAR DEFAULT 'active';  -- active | superseded
ALTER TABLE source_file ADD COLUMN superseded_by INTEGER;  -- the corrected file that replaced it
ALTER TABLE source_file ADD COLUMN received_at TIMESTAMP;  -- when the sender delivered it
ALTER TABLE source_file ADD COLUMN archive VARCHAR;        -- archived raw file (sha256 + suffix)
{_add_sheet}

CREATE TABLE enterprise_alias (
    alias VARCHAR PRIMARY KEY,      -- a normalised name (or other key) confirmed by an analyst
    uscc VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL,
    added_by VARCHAR NOT NULL
);

CREATE TABLE unmatched_row (
    source_file_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER NOT NULL,
    target VARCHAR NOT NULL,        -- the table the row is for
    name VARCHAR NOT NULL,          -- the name the row carries (户名, 权利人, ...)
    suggestion VARCHAR,             -- a USCC whose normalised name matches; never applied unasked
    payload JSON NOT NULL,          -- the row as it would be stored, without its uscc
    resolved_at TIMESTAMP
);
CREATE TABLE tax_paid (
    uscc VARCHAR NOT NULL,          -- 纳税人识别号 resolved to 统一社会信用代码
    period VARCHAR NOT NULL,        -- YYYY-MM the tax was paid into the treasury (入库)
    tax_type VARCHAR NOT NULL,      -- 征收项目: 增值税, 企业所得税, ...
    amount DOUBLE NOT NULL,         -- 万元; negative for refunds (退库)
    {_PROVENANCE2},
    PRIMARY KEY (uscc, period, tax_type)
);

CREATE TABLE grid_account (
    account VARCHAR PRIMARY KEY,    -- 户号 of the power grid
    account_name VARCHAR NOT NULL,  -- 户名 as the grid spells it
    uscc VARCHAR NOT NULL,          -- the enterprise the account belongs to (crosswalk)
    {_PROVENANCE2}
);

CREATE TABLE land_parcel (
    certificate VARCHAR NOT NULL,   -- 不动产权证号, or a lease contract number
    year INTEGER NOT NULL,          -- the year the holding is counted for (as at 31 December)
    owner_name VARCHAR NOT NULL,    -- 权利人 / 承租人 as written on the document
    uscc VARCHAR NOT NULL,          -- the enterprise (crosswalk)
    area_mu DOUBLE NOT NULL,        -- 亩
    tenure VARCHAR NOT NULL CHECK (tenure IN ('owned', 'leased')),
    {_PROVENANCE2},
    PRIMARY KEY (certificate, year)
);

CREATE TABLE emission (
    uscc VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    pollutant VARCHAR NOT NULL,     -- cod, nh3n, so2, nox
    tonnes DOUBLE,                  -- NULL: not reported (distinct from 0)
    permit_no VARCHAR,              -- 排污许可证编号 (starts with the credit code)
    {_PROVENANCE2},
    PRIMARY KEY (uscc, year, pollutant)
);

CREATE TABLE incident (
    uscc VARCHAR NOT NULL,
    occurred DATE NOT NULL,
    kind VARCHAR NOT NULL,          -- safety, environment, ... (keys of the method's vetoes)
    severity VARCHAR,
    note VARCHAR,
    {_PROVENANCE2},
    PRIMARY KEY (uscc, occurred, kind)
);

CREATE TABLE enterprise_annual (
    uscc VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    -- Annual figures as compiled for the 亩均 evaluation (亩均数据采集表). NULL: not given.
    land_mu DOUBLE,                 -- 亩, owned + leased
    taxes DOUBLE,                   -- 万元, taxes actually paid
    revenue DOUBLE,                 -- 万元
    value_added DOUBLE,             -- 万元
    rd_expense DOUBLE,              -- 万元
    employees DOUBLE,               -- persons, annual average
    energy_tce DOUBLE,              -- 吨标准煤 (等价值)
    electricity DOUBLE,             -- 万千瓦时
    {_PROVENANCE2},
    PRIMARY KEY (uscc, year)
);
"""

# 亩均效益 evaluation results and their workflow (issue #3): runs (one per version of a
# year's evaluation, with the method's text and hash), per-enterprise results and item
# scores, objections, manual re-grades, and results published before the platform.
_EVALUATION = f"""
CREATE TABLE evaluation_run (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,          -- the data year evaluated
    version INTEGER NOT NULL,       -- 1, 2, ... within the year
    status VARCHAR NOT NULL CHECK (status IN ('draft', 'notice', 'final', 'superseded')),
    method_name VARCHAR NOT NULL,
    method_source VARCHAR NOT NULL, -- file or preset the method was read from
    method_text VARCHAR NOT NULL,   -- the TOML text as given
    method_canonical VARCHAR NOT NULL,  -- canonical JSON of the validated method
    method_sha256 VARCHAR NOT NULL, -- sha256 of method_canonical
    inputs_sha256 VARCHAR NOT NULL, -- hash of the inputs used (uscc and input columns)
    corrects INTEGER,               -- the final run this version corrects, if any
    note VARCHAR,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL,
    notice_at TIMESTAMP,
    notice_until DATE,              -- end of the objection window (公示期)
    finalized_at TIMESTAMP,
    finalized_by VARCHAR,
    UNIQUE (year, version)
);

CREATE TABLE evaluation_result (
    run_id INTEGER NOT NULL,
    uscc VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    industry_code VARCHAR NOT NULL,
    platform VARCHAR,
    scale VARCHAR NOT NULL,
    cohort VARCHAR NOT NULL,        -- the method's cohort key
    cell VARCHAR NOT NULL,          -- ranked within: cohort[|county][|group]
    land_mu DOUBLE, leased_mu DOUBLE, taxes DOUBLE, revenue DOUBLE, value_added DOUBLE,
    rd_expense DOUBLE, employees DOUBLE, energy_tce DOUBLE, electricity DOUBLE,
    emissions DOUBLE, cod DOUBLE, nh3n DOUBLE, so2 DOUBLE, nox DOUBLE,
    exempt_reason VARCHAR,          -- not graded (不定等级): the exemption, or data_missing
    total_score DOUBLE,
    rank INTEGER,                   -- 1 = best within the cell; ties share the better rank
    cell_size INTEGER,              -- graded enterprises in the cell
    initial_class VARCHAR,          -- 初评等级
    veto VARCHAR,                   -- the vetoes that applied
    vetoed_class VARCHAR,           -- after vetoes (and exemptions' managed class)
    final_class VARCHAR,            -- after manual re-grades (调档后等级)
    prior_worst_years INTEGER,      -- consecutive earlier years in the worst class
    consecutive_worst INTEGER,
    surcharge_rate DOUBLE,          -- 元/千瓦时
    surcharge DOUBLE,               -- 万元
    explanation VARCHAR,
    PRIMARY KEY (run_id, uscc)
);

CREATE TABLE evaluation_item (
    run_id INTEGER NOT NULL,
    uscc VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    value DOUBLE,
    benchmark DOUBLE,
    weight DOUBLE NOT NULL,
    score DOUBLE,
    note VARCHAR,                   -- cohort_mean / zero: how a missing value was scored
    PRIMARY KEY (run_id, uscc, indicator)
);

CREATE TABLE evaluation_objection (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    uscc VARCHAR NOT NULL,
    filed_at TIMESTAMP NOT NULL,
    filed_by VARCHAR NOT NULL,
    claim VARCHAR NOT NULL,         -- what the enterprise disputes
    evidence VARCHAR NOT NULL,      -- documents supplied (file names, references)
    status VARCHAR NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    decision VARCHAR,
    decided_at TIMESTAMP,
    decided_by VARCHAR
);

CREATE TABLE evaluation_regrade (
    run_id INTEGER NOT NULL,
    uscc VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    from_class VARCHAR,
    to_class VARCHAR NOT NULL,
    reason VARCHAR NOT NULL CHECK (length(trim(reason)) > 0),
    objection_id INTEGER,
    made_at TIMESTAMP NOT NULL,
    made_by VARCHAR NOT NULL,
    PRIMARY KEY (run_id, uscc, seq)
);

CREATE TABLE evaluation_history (
    uscc VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    class VARCHAR NOT NULL,         -- final class as published before the platform
    {_PROVENANCE},
    PRIMARY KEY (uscc, year)
);
"""

# Investment projects, annual targets and enterprise pools (issue #5).
_TRACKING = f"""
CREATE TABLE project (
    project_id VARCHAR PRIMARY KEY, -- 项目代码 (or the county's own number)
    name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,      -- key of the city's project categories (tracking/catalogue)
    lists VARCHAR[] NOT NULL,       -- named lists it belongs to (three_hundred, ...)
    region_code VARCHAR NOT NULL,   -- county
    uscc VARCHAR,                   -- the enterprise building it, when known
    planned_total DOUBLE,           -- 总投资, 万元
    introduced DATE,                -- signed / introduced (大好高 招引)
    planned_start DATE,
    planned_completion DATE,
    {_PROVENANCE2}
);

CREATE TABLE project_plan (
    project_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    annual_plan DOUBLE NOT NULL,    -- 年度计划投资, 万元
    {_PROVENANCE2},
    PRIMARY KEY (project_id, year)
);

CREATE TABLE project_progress (
    project_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,        -- YYYY-MM the county reports on
    ytd_invested DOUBLE NOT NULL,   -- 1-N月完成投资, 万元
    actual_start DATE,              -- 实际开工 (once started)
    actual_completion DATE,         -- 实际竣工 (once completed)
    note VARCHAR,                   -- 形象进度
    {_PROVENANCE2},
    PRIMARY KEY (project_id, period)
);

CREATE TABLE target (
    indicator VARCHAR NOT NULL,     -- a cube measure, a reported indicator or a tracking key
    region_code VARCHAR NOT NULL,   -- the city, or a county of its decomposition
    year INTEGER NOT NULL,
    basis VARCHAR NOT NULL CHECK (basis IN ('value', 'growth_pct', 'rate_pct')),
    value DOUBLE NOT NULL,          -- in the indicator's unit (万元 for money)
    {_PROVENANCE2},
    PRIMARY KEY (indicator, region_code, year, basis)
);

CREATE TABLE pool_member (
    pool VARCHAR NOT NULL,          -- key of the pool (tracking/catalogue)
    uscc VARCHAR NOT NULL,
    entered DATE NOT NULL,
    level VARCHAR,                  -- national / provincial / municipal, where pools have levels
    reason VARCHAR,                 -- why it entered (rule or decision)
    exited DATE,
    exit_reason VARCHAR,            -- disposed, graduated, closed, ...
    {_PROVENANCE2},
    PRIMARY KEY (pool, uscc, entered)
);
"""

# The cube without its primary key (issue #6): the key's index on four text columns made
# every Store.replace of a year's cube pay for index maintenance (about two thirds of a
# country-size rebuild). compute_cube deletes a period's rows before writing them, in one
# transaction, so a cell cannot appear twice; tests/indicators check the cells are unique.
_CUBE_UNKEYED = """
CREATE TABLE cube_unkeyed AS SELECT * FROM cube;
DROP TABLE cube;
ALTER TABLE cube_unkeyed RENAME TO cube;
"""

# One id allocator (issue #10): a counter per table whose ids the platform hands out, so
# that no writer computes max(id) + 1 of its own. Seeded from the ids already stored.
_ID_COUNTER = """
CREATE TABLE id_counter (
    name VARCHAR PRIMARY KEY,       -- the table whose ids it counts
    last BIGINT NOT NULL            -- the last id handed out
);
INSERT INTO id_counter SELECT 'source_file', coalesce(max(id), 0) FROM source_file;
INSERT INTO id_counter SELECT 'evaluation_run', coalesce(max(id), 0) FROM evaluation_run;
INSERT INTO id_counter SELECT 'evaluation_objection', coalesce(max(id), 0)
    FROM evaluation_objection;
"""

# Fresh numbers (issue #11): every change to stored inputs gets a data version, and every
# derived table records the version it was computed from, so a report can tell stale
# figures and a refresh knows which months to recompute.
_DATA_VERSIONS = """
CREATE TABLE data_change (
    version BIGINT PRIMARY KEY,     -- increases with every change of stored inputs
    changed_at TIMESTAMP NOT NULL,
    action VARCHAR NOT NULL,        -- load, supersede, correct, release, restore, upsert
    tables VARCHAR[] NOT NULL,      -- the tables whose rows changed
    period VARCHAR,                 -- YYYY-MM or YYYY the change is about; NULL: any period
    file_id INTEGER                 -- the source file, when a file made the change
);
CREATE TABLE derived_state (
    name VARCHAR NOT NULL,          -- the derived table (cube)
    year INTEGER NOT NULL,
    data_version BIGINT NOT NULL,   -- the data version its rows were computed from
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (name, year)
);
INSERT INTO id_counter VALUES ('data_change', 0);
"""

# The web platform's accounts and sessions (issue #12). Passwords are argon2 hashes; a
# session row holds the HMAC of its cookie's token under the secret key (a copy of the file
# does not let anyone sign in), its CSRF token and its absolute expiry.
_USERS = """
CREATE TABLE app_user (
    username VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'analyst', 'county', 'leader')),
    region_code VARCHAR,            -- the county of a county user; NULL for the others
    password_hash VARCHAR NOT NULL, -- argon2id
    disabled BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    CHECK ((role = 'county') = (region_code IS NOT NULL))
);
CREATE TABLE app_session (
    token_hash VARCHAR PRIMARY KEY, -- HMAC-SHA256 of the cookie's token
    username VARCHAR NOT NULL,
    csrf_token VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
"""

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "registers, facts, peers, audit, cube", _V1),
    (2, "department sources and annual evaluation inputs", _V2),
    (3, "projects, targets and pools", _TRACKING),
    (4, "evaluation results and workflow", _EVALUATION),
    (5, "cube without primary key", _CUBE_UNKEYED),
    (6, "one id allocator", _ID_COUNTER),
    (7, "cube share of city", "ALTER TABLE cube ADD COLUMN share_of_city_pct DOUBLE"),
    (8, "data versions of inputs and derived tables", _DATA_VERSIONS),
    (9, "web accounts and sessions", _USERS),
    (10, "energy-use rights ledger", ENERGY),
    (11, "daily electricity by meter", GRID_DAILY.format(provenance=_PROVENANCE2)),
    (12, "capacity ledger", CAPACITY.format(provenance=_PROVENANCE2)),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]
