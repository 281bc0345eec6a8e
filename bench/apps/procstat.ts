import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** The pids of one process group (a server and every worker it started). */
function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return pids;
}

/** CPU seconds (user + system) used so far by the live processes of a group. */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: its CPU time is lost to the measurement, which is why workers are not recycled here.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** Resident memory in bytes of the whole group now. */
export function groupRssBytes(pgid: number): number {
  let pages = 0;
  for (const pid of groupPids(pgid)) {
    try {
      pages += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    } catch {
      // Gone.
    }
  }
  return pages * PAGE_BYTES;
}

/** Samples a group's RSS every `intervalMs` until stopped; returns the peak. */
export function watchPeakRss(pgid: number, intervalMs = 100): { stop: () => number } {
  let peak = groupRssBytes(pgid);
  const timer = setInterval(() => (peak = Math.max(peak, groupRssBytes(pgid))), intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, groupRssBytes(pgid));
    },
  };
}
