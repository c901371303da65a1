// src/signals.js: application code under test; it only knows a pg Pool
async function latestSignals(pool, symbol) {
  const { rows } = await pool.query(
    `SELECT DISTINCT ON (agent_name) agent_name AS "agentName", signal
       FROM agent_signals WHERE symbol = $1
      ORDER BY agent_name, created_at DESC, id DESC`,
    [symbol],
  )
  return rows
}

module.exports = { latestSignals }
