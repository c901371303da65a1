export const LABEL_KIT = 'org.timescale-testkit';
export const LABEL_VERSION = 'org.timescale-testkit.version';
export const LABEL_RUN_ID = 'org.timescale-testkit.run-id';
export const LABEL_CONFIG_HASH = 'org.timescale-testkit.config-hash';
export const LABEL_REUSE = 'org.timescale-testkit.reuse';
export const LABEL_CREATED_AT = 'org.timescale-testkit.created-at';
