// Small probes the grid script uses to see whether a part answers, without any npm package
// (they run before node_modules exists and must stay tiny): a TCP connect and a RESP command.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** True when something accepts TCP connections on 127.0.0.1:port within timeoutMs. */
export function tcpAnswers(port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Sends one Redis command and resolves with the raw reply text, or undefined on failure. */
export function redisCommand(port, args, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => {
      const frame = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
      socket.write(frame);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      // Replies here are one line (+PONG, :1) or one bulk string; wait for the whole bulk.
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      if (reply.startsWith('$-1\r\n')) done('');
      else if (bulk && Buffer.byteLength(reply) >= bulk[0].length + Number(bulk[1]) + 2) done(reply.slice(bulk[0].length, bulk[0].length + Number(bulk[1])));
      else if (!bulk && reply.endsWith('\r\n')) done(reply.trim());
    });
  });
}

/** Polls `check` every 100 ms until it is truthy or timeoutMs passes. */
export async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** True when a process with this pid exists. */
export function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * True when `pid` is alive and is one of a grid's processes (the supervisor, redis-server or a
 * Weft daemon), not some other program that was given the same pid after a reboot: the pids in
 * a state file may be stale, and stopping them must never hit anything else.
 */
export function isGridProcess(pid) {
  if (!isAlive(pid)) return false;
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return /redis-server|scripts\/grid\.mjs|services\/[a-z]+\/main\.ts/.test(command);
  } catch {
    return true; // no /proc here: trust the pid, as before
  }
}
