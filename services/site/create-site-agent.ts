/**
 * A site agent: consumes its own site's queue, runs each job through the site's LRMS, and keeps
 * the site's record alive in Redis (soft state: refreshed every N seconds, expiring after 3·N, so
 * a dead agent's site fades out of brokers' view by itself).
 */
import { arch as hostArch, hostname, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { Worker, type Job } from 'bullmq';
import { configError, type ConfigOf } from '../common/config.ts';
import type { JobStore } from '../common/job-store.ts';
import type { Logger } from '../common/logger.ts';
import type { RedisClient } from '../common/redis.ts';
import { JOB_CANCEL_CHANNEL, QUEUE_PREFIX, siteQueueName } from '../common/redis-keys.ts';
import type { Service } from '../common/service.ts';
import { admittedOwners, type AdmittedOwners, type SiteRegistry } from '../common/site-registry.ts';
import { createRedisDelegationStore, loadDelegationSecret, readDelegatedCredential } from '../delegation/index.ts';
import type { GridMap } from '../gsi/index.ts';
import { findLocalAccount } from './accounts/local-accounts.ts';
import { agentIdentity, prepareWorkRoot } from './authz/agent-identity.ts';
import { decideJobAccount, mappedAccount, type JobAccount } from './authz/job-account.ts';
import { watchGridMapfile, type WatchedGridMap } from './authz/watched-grid-map.ts';
import type { SITE_KNOBS } from './config.ts';
import { createForkLrms } from './lrms/fork.ts';
import type { Lrms } from './lrms/lrms.ts';
import { createSlurmLrms } from './lrms/slurm.ts';
import { AGENT_STOPPING, CANCELLED, runJob } from './run-job.ts';

export interface SiteAgentDeps {
  readonly redis: RedisClient;
  readonly jobs: JobStore;
  readonly sites: SiteRegistry;
  readonly logger: Logger;
  /** State directory ($WEFT_HOME) under which job directories go by default. */
  readonly home: string;
  /**
   * The grid's delegation secret (the container's, services/delegation/README.md); absent: from
   * WEFT_DELEGATION_SECRET or $WEFT_HOME/delegation-secret when a job first needs it.
   */
  readonly delegationSecret?: Buffer;
}

const SITE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const LIST_ITEM = /^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,127}$/;

/** Node's names for this host's architecture, as GLUE 2.0 and `uname -m` spell them. */
const ARCH_NAMES: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' };

function listKnob(knob: string, text: string): string[] {
  const items = text.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) {
    if (!LIST_ITEM.test(item)) {
      throw new Error(`the ${knob} item "${item}" must be letters, digits and . _ : / + - (at most 128)`);
    }
  }
  return items;
}

/** The static part of what the site publishes, checked once at start. */
function describeSite(config: ConfigOf<typeof SITE_KNOBS>) {
  if (!/^\d+(\.\d+)?$/.test(config.pricePerCpuHour)) {
    throw new Error(`the price per CPU-hour "${config.pricePerCpuHour}" must be a non-negative decimal number such as 0.05`);
  }
  return {
    memoryMB: config.memoryMB || Math.floor(totalmem() / 1_048_576 / config.slots),
    opSys: config.opSys || platform(),
    arch: config.arch || (ARCH_NAMES[hostArch()] ?? hostArch()),
    tags: listKnob('tags', config.tags),
    ...(config.maxWallTimeMinutes > 0 ? { maxWallTimeMinutes: config.maxWallTimeMinutes } : {}),
    pricePerCpuHour: Number(config.pricePerCpuHour),
    vos: listKnob('vos', config.vos),
    ...(config.policy ? { policy: config.policy } : {}),
  };
}

function lrmsFor(config: ConfigOf<typeof SITE_KNOBS>, logger: Logger): Lrms {
  if (config.lrms === 'fork') return createForkLrms();
  if (config.lrms === 'slurm') return createSlurmLrms({ partition: config.slurmPartition, pollMs: config.slurmPollMs, logger });
  throw configError('WEFT_CONFIG_INVALID', `the setting WEFT_SITE_LRMS is "${config.lrms}", but this site agent supports fork and slurm`, { setting: 'lrms' });
}

export function createSiteAgentService(deps: SiteAgentDeps, config: ConfigOf<typeof SITE_KNOBS>): Service {
  if (!SITE_NAME.test(config.name)) {
    throw new Error(`the site name "${config.name}" must be letters, digits, dot, dash or underscore`);
  }
  const logger = deps.logger.child({ service: 'site', site: config.name });
  const lrms = lrmsFor(config, logger);
  const description = describeSite(config);
  const workRoot = config.workDir || join(deps.home, 'sites', config.name, 'jobs');
  const running = new Map<string, AbortController>();
  let worker: Worker | undefined;
  let workerConnection: RedisClient | undefined;
  let cancelListener: RedisClient | undefined;
  let publishTimer: NodeJS.Timeout | undefined;
  const agent = agentIdentity();
  let gridMap: WatchedGridMap | undefined;
  let published: { map: GridMap; admits: AdmittedOwners } | undefined;

  /** Who the site admits, as brokers see it: digests of the map's DNs (the map stays here). */
  async function admits(): Promise<AdmittedOwners | undefined> {
    if (!gridMap) return undefined;
    const map = await gridMap.current();
    if (published?.map !== map) published = { map, admits: admittedOwners(map.byKey.keys()) };
    return published.admits;
  }

  /** The account a job of `owner` runs as: see authz/job-account.ts. */
  async function accountFor(owner: string): Promise<JobAccount | undefined> {
    if (!gridMap) return undefined;
    const account = mappedAccount(await gridMap.current(), owner, config.name);
    return decideJobAccount(agent, account, await findLocalAccount(account), config.name);
  }

  async function publish() {
    const admitted = await admits();
    await deps.sites.publish({
      name: config.name,
      contact: `${hostname()}:${process.pid}`,
      lrms: lrms.type,
      totalSlots: config.slots,
      updatedAt: new Date().toISOString(),
      ttlSeconds: config.publishIntervalSeconds * 3,
      ...description,
      runningJobs: running.size,
      ...(admitted ? { admits: admitted } : {}),
    });
  }

  const delegations = createRedisDelegationStore(deps.redis);
  let delegationSecret = deps.delegationSecret;
  const delegatedCredential = (delegationId: string) =>
    readDelegatedCredential(delegations, (delegationSecret ??= loadDelegationSecret(process.env, deps.home)), delegationId);

  async function processJob(job: Job<{ jobId: string }>) {
    const controller = new AbortController();
    running.set(job.data.jobId, controller);
    try {
      await runJob(
        { site: config.name, jobs: deps.jobs, sites: deps.sites, lrms, workRoot, outputLimitBytes: config.outputLimitBytes, logger, delegatedCredential, accountFor },
        job.data.jobId,
        controller.signal,
      );
    } finally {
      running.delete(job.data.jobId);
    }
  }

  return {
    async start() {
      if (config.gridMapfile) {
        // No good map at start: no start (a site that cannot tell who may run must not run anyone).
        gridMap = await watchGridMapfile(config.gridMapfile, logger);
        if (agent.uid === 0) await prepareWorkRoot(workRoot, logger);
      }
      // Workers block on their own connection; it is ours to close.
      workerConnection = deps.redis.duplicate();
      await publish();
      publishTimer = setInterval(() => {
        publish().catch((error: unknown) => logger.warn({ err: error }, 'could not refresh the site record'));
      }, config.publishIntervalSeconds * 1000);
      worker = new Worker(siteQueueName(config.name), processJob, {
        connection: workerConnection,
        prefix: QUEUE_PREFIX,
        concurrency: config.slots,
        lockDuration: config.lockDurationMs,
        stalledInterval: config.stalledIntervalMs,
      });
      worker.on('error', (error) => logger.error({ err: error }, 'site worker error'));
      // A cancelled job is already Failed in Redis; the agent running it only has to kill it.
      cancelListener = deps.redis.duplicate();
      cancelListener.on('message', (_channel: string, jobId: string) => running.get(jobId)?.abort(CANCELLED));
      await cancelListener.subscribe(JOB_CANCEL_CHANNEL);
      await worker.waitUntilReady();
      logger.info({ slots: config.slots, lrms: lrms.type, workRoot, gridMapfile: config.gridMapfile || undefined, agentUser: agent.name }, 'site agent started');
    },
    async stop() {
      clearInterval(publishTimer);
      cancelListener?.disconnect();
      for (const controller of running.values()) controller.abort(AGENT_STOPPING);
      await worker?.close();
      workerConnection?.disconnect();
    },
  };
}
