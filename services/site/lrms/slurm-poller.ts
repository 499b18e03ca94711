/**
 * One poll loop per site agent for all of its Slurm jobs: every interval one `squeue` call
 * names them all; only a job that ended (or that squeue no longer knows) costs an `scontrol
 * show job`, one at a time. Each watcher hears the job's state, or `gone` once slurmctld has
 * forgotten it (MinJobAge) — then the job's own exit file is what is left.
 */
import type { Logger } from '../../common/logger.ts';
import { isUnknownJobError, parseScontrolJob, parseSqueue, SLURM_END_STATES, type SlurmJobState } from './slurm-state.ts';

/** Runs a Slurm client command with an argument vector; rejects with its stderr in the error. */
export type SlurmCommand = (command: string, args: readonly string[]) => Promise<string>;

export type SlurmSighting = SlurmJobState | { readonly id: string; readonly state: 'gone' };

export interface SlurmPoller {
  /** Reports what Slurm says of the job every interval until the returned function is called. */
  watch(slurmJobId: string, onSighting: (seen: SlurmSighting) => void): () => void;
  /** Asks Slurm about one job now (scontrol), outside the loop. */
  look(slurmJobId: string): Promise<SlurmSighting>;
}

function stderrOf(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  return typeof stderr === 'string' && stderr ? stderr : String(error);
}

export function createSlurmPoller(command: SlurmCommand, intervalMs: number, logger: Logger): SlurmPoller {
  const watchers = new Map<string, (seen: SlurmSighting) => void>();
  let timer: NodeJS.Timeout | undefined;

  async function look(id: string): Promise<SlurmSighting> {
    try {
      return parseScontrolJob(await command('scontrol', ['show', 'job', id, '--oneliner'])) ?? { id, state: 'gone' };
    } catch (error) {
      if (isUnknownJobError(stderrOf(error))) return { id, state: 'gone' };
      throw error;
    }
  }

  async function poll() {
    const ids = [...watchers.keys()];
    if (ids.length === 0) return;
    let states: Map<string, string>;
    try {
      states = parseSqueue(
        await command('squeue', ['--noheader', '--states=all', '--format=%i|%T', `--jobs=${ids.join(',')}`]),
      );
    } catch (error) {
      if (!isUnknownJobError(stderrOf(error))) {
        logger.warn({ err: stderrOf(error) }, 'squeue failed; asking Slurm again at the next poll');
        return;
      }
      states = new Map(); // one id asked and slurmctld no longer knows it
    }
    for (const id of ids) {
      const state = states.get(id);
      if (state !== undefined && !SLURM_END_STATES.has(state)) {
        watchers.get(id)?.({ id, state });
        continue;
      }
      // Ended or forgotten: scontrol has the exit code and the reason, or confirms it is gone.
      try {
        const seen = await look(id);
        watchers.get(id)?.(seen);
      } catch (error) {
        logger.warn({ err: stderrOf(error), slurmJobId: id }, 'scontrol failed; asking Slurm again at the next poll');
      }
    }
  }

  function schedule() {
    if (timer || watchers.size === 0) return;
    timer = setTimeout(() => {
      void poll()
        .catch((error: unknown) => logger.error({ err: error }, 'Slurm poll failed'))
        .finally(() => {
          timer = undefined;
          schedule();
        });
    }, intervalMs);
  }

  return {
    watch(slurmJobId, onSighting) {
      watchers.set(slurmJobId, onSighting);
      schedule();
      return () => watchers.delete(slurmJobId);
    },
    look,
  };
}
