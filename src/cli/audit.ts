import { verifyAuditChain } from '../platform/audit/index.ts';
import { loadConfig, messageOf, openDatabase, type Database } from '../platform/index.ts';

const USAGE = `usage: closeloop audit verify [--json]

Checks the audit log's hash chain in the configured database (DATABASE_URL, or the embedded one in
CLOSELOOP_DATA_DIR: stop the server first, an embedded database has one user at a time). Exit 0
when intact, 1 at the first broken row (printed), 2 on a usage error.`;

/** `closeloop audit verify`: opens the database like the server and walks the chain. */
export async function runAudit(argv: string[], io: { db?: Database; out?: (line: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((line: string) => console.log(line));
  const args = argv[0] === 'audit' ? argv.slice(1) : argv;
  const [command, ...flags] = args;
  if (command !== 'verify' || flags.some((f) => f !== '--json')) {
    out(USAGE);
    return command === 'help' || command === '--help' ? 0 : 2;
  }
  const json = flags.includes('--json');
  let db = io.db;
  if (!db) {
    const config = loadConfig();
    db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  }
  try {
    const report = await verifyAuditChain(db);
    if (json) out(JSON.stringify(report));
    else if (report.ok) out(`audit chain intact: ${report.checked} sealed rows verified, ${report.unsealed} not sealed yet`);
    else {
      const b = report.firstBroken!;
      out(`audit chain BROKEN at chain_no ${b.chainNo} (audit_log seq ${b.seq}): ${b.reason}`);
      out(`${report.checked} rows before it verified`);
    }
    return report.ok ? 0 : 1;
  } catch (e: unknown) {
    out(`audit verify failed: ${messageOf(e)}`);
    return 1;
  } finally {
    if (!io.db) await db.close();
  }
}
