import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/**
 * The pids of a server: its process group and every descendant. Descendants count even in
 * sessions of their own (php-fpm and nginx under the PHP projects' bin/serve are).
 */
function groupPids(pgid: number): number[] {
  const parents = new Map<number, number>();
  const inGroup: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      if (Number(fields[2]) === pgid) inGroup.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  const members = new Set(inGroup);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!members.has(pid) && members.has(parent)) {
        members.add(pid);
        grew = true;
      }
    }
  }
  return [...members];
}

/** CPU seconds (user + system) used so far by the live processes of a group. */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, and cutime + cstime: the workers it has reaped (php-fpm replaces its
      // workers every pm.max_requests), whose CPU would otherwise leave the measurement.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // Gone before its parent reaped it: its CPU time is lost to the measurement.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * Memory of the whole server now: the sum of each process's proportional set size (PSS), so
 * pages that forked workers share (a Python master's, php-fpm's opcache) count once, as a
 * container's memory limit counts them. Resident size when smaps_rollup is unreadable.
 */
export function groupRssBytes(pgid: number): number {
  let bytes = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      bytes += pss ? Number(pss[1]) * 1024 : Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
    } catch {
      // Gone.
    }
  }
  return bytes;
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
