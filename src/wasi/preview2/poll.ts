// wasi:io/poll: pollables and `poll`, which waits on many at once without busy-waiting. A pollable
// is one of: always ready; ready at a monotonic deadline (clocks); ready when a NetHost says a
// handle is readable or writable (sockets, stdin once it is a pipe or terminal: the network thread
// buffers it) or an HTTP exchange's response head has arrived (Node's HTTP client); or a condition
// only its owner can evaluate (HTTP responses over fetch in the browser). `poll` makes one
// blocking wait for all of them: a single NetHost `poll` request over every host handle, bounded by
// the earliest deadline, which the network thread answers as soon as any handle is ready (with
// Atomics.notify); with no host handle, a sleep until the earliest deadline. Only conditions (and
// handles of a second host, which nothing in Kasane makes) are looked at again every millisecond.

import { sleeper } from '../preview1.js';
import type { NetHost, PollRequest } from '../sockets.js';

/** wasi:io/poll.pollable: ready now, or at a monotonic deadline (nanoseconds). */
export class Pollable {
  constructor(private readonly deadline?: bigint, private readonly now?: () => bigint) {}
  ready(): boolean {
    return this.deadline === undefined || this.now!() >= this.deadline;
  }
  block(): void { poll([this]); }
  /** Nanoseconds until ready (0 when ready); undefined when no clock tells (a host handle, a condition). */
  remaining(): bigint | undefined {
    if (this.deadline === undefined) return 0n;
    const left = this.deadline - this.now!();
    return left > 0n ? left : 0n;
  }
  /** The host handle whose readiness this is, for poll to wait on in the host. */
  hostWait(): { host: NetHost; req: PollRequest } | undefined { return undefined; }
}

/** Ready when the host says a handle is readable (or writable); waits happen in the host. */
export class HostPollable extends Pollable {
  private readonly req: PollRequest;
  constructor(private readonly host: NetHost, handle: number, write = false) {
    super();
    this.req = { handle, write };
  }
  override ready(): boolean { return this.host.poll([this.req], 0).length > 0; }
  override remaining(): bigint | undefined { return undefined; }
  override hostWait(): { host: NetHost; req: PollRequest } { return { host: this.host, req: this.req }; }
}

/** A pollable that is ready once a condition holds (an HTTP response has arrived, ...). */
export class ConditionPollable extends Pollable {
  constructor(private readonly condition: () => boolean) { super(); }
  override ready(): boolean { return this.condition(); }
  override block(): void { while (!this.ready()) sleeper(1); }
  override remaining(): bigint | undefined { return this.ready() ? 0n : undefined; }
}

/** How long the wait for conditions and second hosts lasts before they are looked at again. */
const RECHECK_MS = 1;

/** wasi:io/poll.poll: blocks until at least one is ready; the indices of the ready ones, in order. */
export function poll(pollables: Pollable[]): Uint32Array {
  if (pollables.length === 0) throw new Error('poll: empty list');
  const hosts = new Map<NetHost, { index: number; req: PollRequest }[]>();
  const others: number[] = [];
  pollables.forEach((p, index) => {
    const w = p.hostWait();
    if (w === undefined) { others.push(index); return; }
    let subs = hosts.get(w.host);
    if (subs === undefined) hosts.set(w.host, subs = []);
    subs.push({ index, req: w.req });
  });
  for (;;) {
    const ready = new Set<number>();
    // Deadlines and conditions first: they bound (or cut short) the host's wait.
    let earliest: bigint | undefined;
    let recheck = hosts.size > 1;
    for (const i of others) {
      const p = pollables[i];
      if (p.ready()) { ready.add(i); continue; }
      const left = p.remaining();
      if (left === undefined) recheck = true;
      else if (earliest === undefined || left < earliest) earliest = left;
    }
    let timeoutMs: number | undefined;
    if (ready.size > 0) timeoutMs = 0;
    else {
      if (earliest !== undefined) timeoutMs = Number((earliest + 999_999n) / 1_000_000n);
      if (recheck) timeoutMs = Math.min(timeoutMs ?? RECHECK_MS, RECHECK_MS);
    }
    if (hosts.size > 0) {
      let first = true;
      for (const [host, subs] of hosts) {
        for (const r of host.poll(subs.map((s) => s.req), first ? timeoutMs : 0)) ready.add(subs[r.index].index);
        first = false;
      }
    } else if (ready.size === 0) {
      sleeper(earliest !== undefined && !recheck ? Number(earliest) / 1e6 : RECHECK_MS);
    }
    // What became ready while the host waited.
    if (ready.size === 0 || timeoutMs !== 0) for (const i of others) if (!ready.has(i) && pollables[i].ready()) ready.add(i);
    if (ready.size > 0) return Uint32Array.from([...ready].sort((a, b) => a - b));
  }
}
