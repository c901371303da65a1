// src/positions.js: application code under test; it only knows a pg Pool
export async function openExposure(pool, sessionId) {
  const { rows } = await pool.query(
    `SELECT symbol, sum(quantity * entry_price)::numeric(24, 2)::text AS exposure
       FROM positions WHERE session_id = $1 AND exit_time IS NULL
      GROUP BY symbol ORDER BY symbol`,
    [sessionId],
  )
  return rows
}
