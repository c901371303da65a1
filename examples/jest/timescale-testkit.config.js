// timescale-testkit.config.js   (your migrations folder; ./migrations is the default)
const { defineConfig, referenceMigrations } = require('timescale-testkit')
module.exports = defineConfig({ migrations: referenceMigrations }) // the schema the factories target
