// timescale-testkit.config.js   (your migrations folder; ./migrations is the default)
const { defineConfig } = require('timescale-testkit')
const { referenceMigrations } = require('timescale-testkit/domain')
module.exports = defineConfig({ migrations: referenceMigrations }) // the schema the factories target
