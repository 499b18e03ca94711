/** Reading squeue and scontrol output as Slurm 22.05 prints it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUnknownJobError, parseScontrolJob, parseSqueue } from '../../../services/site/lrms/slurm-state.ts';

// Taken from the private test Slurm (scontrol show job 2 --oneliner), work dir with spaces.
const FAILED_JOB =
  'JobId=2 JobName=weft-0f3a9c21 UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901758 Nice=0 Account=(null) ' +
  'QOS=(null) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ' +
  'ExitCode=3:0 RunTime=00:00:01 TimeLimit=365-00:00:00 TimeMin=N/A SubmitTime=2026-11-23T06:34:13 ' +
  'Partition=debug NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ' +
  'Command=/tmp/a dir/slurm-batch WorkDir=/tmp/a dir JobState=COMPLETED ExitCode=0:0 StdErr=/tmp/a dir/stderr StdIn=/dev/null StdOut=/tmp/a dir/stdout Power= \n';

describe('Slurm state parsing', () => {
  it('reads JobState, ExitCode and Reason from an scontrol record, not from paths after them', () => {
    assert.deepEqual(parseScontrolJob(FAILED_JOB), { id: '2', state: 'FAILED', exitCode: 3, signal: 0, reason: 'NonZeroExitCode' });
  });

  it('reads a signal from ExitCode and leaves out Reason=None', () => {
    const record = 'JobId=7 JobName=x JobState=CANCELLED Reason=None Dependency=(null) ExitCode=0:15 RunTime=00:00:02';
    assert.deepEqual(parseScontrolJob(record), { id: '7', state: 'CANCELLED', exitCode: 0, signal: 15 });
  });

  it('reads a timed-out job, and a pending one with its reason', () => {
    assert.deepEqual(parseScontrolJob('JobId=9 JobName=x JobState=TIMEOUT Reason=TimeLimit ExitCode=0:0'), {
      id: '9', state: 'TIMEOUT', exitCode: 0, signal: 0, reason: 'TimeLimit',
    });
    assert.deepEqual(parseScontrolJob('JobId=10 JobName=x JobState=PENDING Reason=Resources'), { id: '10', state: 'PENDING', reason: 'Resources' });
  });

  it('does not take an array or het job, or empty output, for one of ours', () => {
    assert.equal(parseScontrolJob('JobId=12_3 ArrayJobId=12 JobState=RUNNING'), undefined);
    assert.equal(parseScontrolJob(''), undefined);
  });

  it('reads squeue lines into job states, ignoring anything else', () => {
    const states = parseSqueue('11|RUNNING\n12|COMPLETED\n  13|PENDING\nslurm_load_jobs error: x\n14|OUT_OF_MEMORY\n');
    assert.deepEqual([...states], [['11', 'RUNNING'], ['12', 'COMPLETED'], ['13', 'PENDING'], ['14', 'OUT_OF_MEMORY']]);
  });

  it("recognises Slurm's unknown-job error", () => {
    assert.equal(isUnknownJobError('slurm_load_jobs error: Invalid job id specified\n'), true);
    assert.equal(isUnknownJobError('slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n'), false);
  });
});
