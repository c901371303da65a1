// vitest.config.ts
import { defineConfig } from 'vitest/config'
export default defineConfig({ test: { globalSetup: ['timescale-testkit/vitest/global-setup'] } })
