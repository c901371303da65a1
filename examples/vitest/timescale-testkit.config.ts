// timescale-testkit.config.ts   (your migrations folder; ./migrations is the default)
import { defineConfig } from 'timescale-testkit'
import { referenceMigrations } from 'timescale-testkit/domain'
export default defineConfig({ migrations: referenceMigrations }) // the schema the factories target
