/** The pinned default image: TimescaleDB community edition on PostgreSQL 17, with pgvector. */
export const DEFAULT_IMAGE = 'timescale/timescaledb:2.19.3-pg17';
