// Opens a published snapshot with DuckDB's Node client (an independent
// client of the same engine version) and queries the marts, to prove the
// file is usable outside exportpipe. Run through scripts/node-client-check.sh.
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
if (!path) {
  console.error('usage: node node-client-check.mjs data/analytics.duckdb');
  process.exit(2);
}
const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
const conn = await db.connect();
const show = async (sql) => {
  const reader = await conn.runAndReadAll(sql);
  console.log(sql);
  console.table(reader.getRowObjectsJson());
};
await show('SELECT version() AS engine');
await show('SELECT category_group, listings, round(100*share, 1) AS pct FROM marts.category_share ORDER BY listings DESC');
await show("SELECT carrier, origin, destination, sailings, on_time_share, median_transit_days FROM marts.route_performance WHERE carrier = 'PNSC' ORDER BY sailings DESC LIMIT 5");
conn.closeSync();
