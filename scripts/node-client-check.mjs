// Opens a published snapshot and its Parquet exports with DuckDB's Node
// client (an independent client of the same engine version) to prove both
// are usable outside exportpipe: every mart answers, and every exported
// Parquet file holds the rows its manifest says. Exits 1 on any mismatch.
// Run through scripts/node-client-check.sh.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [snapshot, exportsDir] = process.argv.slice(2);
if (!snapshot || !exportsDir) {
  console.error('usage: node node-client-check.mjs data/analytics.duckdb data/exports/latest');
  process.exit(2);
}
let failures = 0;
const fail = (msg) => { console.error('MISMATCH: ' + msg); failures++; };

const db = await DuckDBInstance.create(snapshot, { access_mode: 'READ_ONLY' });
const conn = await db.connect();
const rows = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
const show = async (sql) => { console.log(sql); console.table(await rows(sql)); };

await show('SELECT version() AS engine');
await show('SELECT category_group, listings, round(100*share, 1) AS pct FROM marts.category_share ORDER BY listings DESC');
await show("SELECT carrier, origin, destination, sailings, on_time_share, median_transit_days FROM marts.route_performance WHERE carrier = 'PNSC' ORDER BY sailings DESC LIMIT 5");

// The manifest is what dashboards read: each file's rows must match both
// the file itself and the mart in the snapshot it was exported from.
const manifest = JSON.parse(readFileSync(join(exportsDir, 'manifest.json'), 'utf8'));
let checked = 0;
for (const f of manifest.files) {
  const [{ n: inMart }] = await rows(`SELECT count(*)::BIGINT AS n FROM ${f.table}`);
  if (Number(inMart) !== f.rows) fail(`${f.table}: snapshot has ${inMart} rows, manifest says ${f.rows}`);
  if (f.format !== 'parquet') continue;
  const path = join(exportsDir, f.path).replaceAll("'", "''");
  const [{ n: inFile }] = await rows(`SELECT count(*)::BIGINT AS n FROM read_parquet('${path}')`);
  if (Number(inFile) !== f.rows) fail(`${f.path}: file has ${inFile} rows, manifest says ${f.rows}`);
  checked++;
}
console.log(`${checked} Parquet files and ${manifest.files.length} manifest entries checked against the snapshot`);
conn.closeSync();
if (failures > 0 || checked === 0) process.exit(1);
