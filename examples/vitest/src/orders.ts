// src/orders.ts: application code under test; it only knows a pg Pool
import type { Pool } from 'pg'

export async function fillOrder(pool: Pool, orderId: string): Promise<void> {
  const { rowCount } = await pool.query(
    `UPDATE orders
        SET status = 'FILLED', executed_quantity = quantity, filled_at = now(), updated_at = now()
      WHERE id = $1 AND status IN ('NEW', 'PARTIALLY_FILLED')`,
    [orderId],
  )
  if (rowCount !== 1) throw new Error(`order ${orderId} cannot be filled`)
}
