import { createEsdbClient, createLogger, createRedisClient, redisTargetOf } from '../../platform/index.ts';
import { projectionCatalog, type Projection } from '../../projector/index.ts';
import { expectPositionals, parseCommandLine } from '../args.ts';
import { ExitCode, type OpsCommand, type OpsIo } from '../command.ts';
import { readOpsEnv } from '../env.ts';
import { ProgressBar } from '../progress-bar.ts';
import { defaultRebuildSettings, rebuildProjection, type RebuildOutcome, type RebuildSettings } from '../rebuild/rebuild-projection.ts';

function parse(argv: readonly string[]): { name: string; json: boolean } {
  const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean', default: false } });
  const [name] = expectPositionals(positionals, ['projection']);
  return { name: name!, json: values.json === true };
}

function describe(name: string, outcome: Extract<RebuildOutcome, { kind: 'rebuilt' }>, seconds: number): string {
  const events = outcome.events === undefined ? '' : ` holding ${outcome.events.toLocaleString('en-US')} events`;
  const rate = outcome.events === undefined || seconds <= 0 ? '' : ` (${Math.round(outcome.events / seconds).toLocaleString('en-US')} events/s)`;
  return (
    `Rebuilt ${name}: v${outcome.to} is live${events}, after ${seconds.toFixed(1)} s${rate}${outcome.resumed ? ', resuming an earlier run' : ''}.\n` +
    `Removed group rm-${name}-v${outcome.from} and ${outcome.removedKeys.toLocaleString('en-US')} keys of v${outcome.from}.\n`
  );
}

/** `rebuild <projection>`: blue/green rebuild of a projection's read models (see rebuild/rebuild-projection.ts). */
export function rebuildCommand(catalog: readonly Projection[] = projectionCatalog, settings: RebuildSettings = defaultRebuildSettings): OpsCommand {
  return {
    name: 'rebuild',
    usage: ['rebuild <projection> [--json]'],
    run: async (argv: readonly string[], io: OpsIo): Promise<number> => {
      const { name, json } = parse(argv);
      const projection = catalog.find((candidate) => candidate.name === name);
      if (projection === undefined) {
        io.stderr(`No projection named '${name}'. Known: ${catalog.map((known) => known.name).join(', ')}.\n`);
        return ExitCode.notFound;
      }
      const env = readOpsEnv(io.env);
      const log = createLogger('ops-rebuild');
      // The workers' logs would break the progress bar; LOG_LEVEL brings them back when something is off.
      log.level = io.env.LOG_LEVEL ?? 'silent';
      const esdb = createEsdbClient(env.ESDB_CONNECTION_STRING);
      const redisTarget = redisTargetOf(env);
      const redis = createRedisClient(redisTarget, log);
      const bar = new ProgressBar({ write: io.stderr, isTTY: io.stderrIsTTY ?? false });
      const interrupt = new AbortController();
      const onSignal = (): void => interrupt.abort(new Error('interrupted'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const started = Date.now();
      try {
        await redis.connect();
        const outcome = await rebuildProjection(
          { esdb, redis, esdbConnectionString: env.ESDB_CONNECTION_STRING, redisTarget, log },
          projection,
          settings,
          { onStep: (text) => (bar.done(), io.stderr(`${text}\n`)), onProgress: (done, total) => bar.update(done, total) },
          interrupt.signal,
        );
        bar.done();
        if (outcome.kind === 'refused') {
          io.stderr(`Another rebuild of ${name} is running (its lock expires in ${Math.ceil(outcome.expiresInMs / 1_000)} s unless it keeps renewing it).\n`);
          return ExitCode.refused;
        }
        const seconds = (Date.now() - started) / 1_000;
        io.stdout(json ? `${JSON.stringify({ projection: name, ...outcome, seconds })}\n` : describe(name, outcome, seconds));
        return ExitCode.ok;
      } catch (error) {
        bar.done();
        if (!interrupt.signal.aborted) throw error;
        io.stderr(`Interrupted. Nothing is lost: run 'npm run ops -- rebuild ${name}' again to resume.\n`);
        return ExitCode.failed;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        redis.destroy();
        await esdb.dispose();
      }
    },
  };
}
