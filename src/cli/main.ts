// Each command loads only what it needs (dynamic imports): `closeloop --help` or `jssp` must not
// pay for the server's start-up (Fastify, the database engines, the broker).

const USAGE = `closeloop — ERP + MES with the closed loop between them

usage: closeloop [command]

  serve                         HTTP API, web app, relay and shop-floor broker (default)
  migrate                       apply database migrations and exit
  demo                          a sample factory with a shop-floor simulator, then serve
  simulate                      publish simulated machine data over MQTT
  jssp FILE [--time-limit S]    solve a job-shop instance, print {"makespan","starts"}
  audit verify                  check the audit log's hash chain

Configuration by environment: PORT, HOST, DATABASE_URL, CLOSELOOP_DATA_DIR, NATS_URL,
MQTT_URL, MQTT_PORT, CLOSELOOP_ADMIN_PASSWORD (see README).`;

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    // a setting that cannot be used: one line naming it, not a stack
    if ((e as Error)?.name === 'ConfigError') {
      console.error(`closeloop: cannot start: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}

async function run(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate': {
      const [{ createApp }, { loadConfig }] = await Promise.all([import('../app.ts'), import('../platform/config.ts')]);
      const config = loadConfig();
      const app = await createApp({ config: { ...config, mqttPort: 0, reconcileEveryMinutes: 0 }, startRelay: false });
      await app.close();
      console.log('migrations applied');
      return 0;
    }
    case 'jssp': {
      const { runJssp } = await import('./jssp.ts');
      return runJssp(rest, (line) => process.stdout.write(line + '\n'));
    }
    case 'demo': {
      const { runDemo } = await import('./demo.ts');
      return runDemo(rest);
    }
    case 'simulate': {
      const { runSimulate } = await import('./simulate.ts');
      return runSimulate(rest);
    }
    case 'audit': {
      const { runAudit } = await import('./audit.ts');
      return runAudit(rest);
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`unknown command ${command}\n\n${USAGE}`);
      return 2;
  }
}

async function serve(): Promise<number> {
  const [{ createApp }, { loadConfig }, { default: pino }] = await Promise.all([import('../app.ts'), import('../platform/config.ts'), import('pino')]);
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  let app: import('../app.ts').App;
  try {
    app = await createApp({ config, logger: log });
  } catch (e) {
    console.error(`closeloop: cannot start: ${(e as Error)?.message ?? e}`);
    return 1;
  }
  if (app.generatedAdminPassword) {
    console.log(`\n  First start: user "admin" created with password ${app.generatedAdminPassword}\n  (set CLOSELOOP_ADMIN_PASSWORD to choose it)\n`);
  }
  const address = await app.listen();
  log.info({ address, database: app.db.kind }, 'closeloop serving');
  await new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      log.info({ signal }, 'shutting down: draining the relay');
      await app.close();
      resolve();
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
  return 0;
}
