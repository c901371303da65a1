import type { Listing } from '../listing.js';
import type { LoadedMigration, MigrationFormat } from '../types.js';

/** One migration tool's folder layout. */
export interface FormatReader {
  format: MigrationFormat;
  /** What the format's migrations look like, for errors: `NNN_name.up.sql files`. */
  lookingFor: string;
  /** Files that point at this format (empty when none); used to detect the format and explain ambiguity. */
  detect(listing: Listing): Promise<string[]>;
  /** The folder's migrations in apply order. */
  load(listing: Listing): Promise<LoadedMigration[]>;
}
