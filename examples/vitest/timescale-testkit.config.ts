// timescale-testkit.config.ts   (your migrations folder; ./migrations is the default)
import { defineConfig, referenceMigrations } from 'timescale-testkit'
export default defineConfig({ migrations: referenceMigrations }) // the schema the factories target
