import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time and resident memory of one process, read from /proc/<pid>/stat. */
export interface ProcSample {
  at: number;
  /** user + system CPU seconds since the process started. */
  cpuSec: number;
  rssBytes: number;
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const PAGE_SIZE = Number(execFileSync('getconf', ['PAGESIZE']).toString().trim()) || 4096;

/**
 * Parses the text of /proc/<pid>/stat. The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string, clkTck = CLK_TCK, pageSize = PAGE_SIZE): { cpuSec: number; rssBytes: number } {
  const rest = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  const rssPages = Number(rest[24 - 3]);
  if (![utime, stime, rssPages].every(Number.isFinite)) throw new Error(`unreadable /proc stat line: ${text.slice(0, 120)}`);
  return { cpuSec: (utime + stime) / clkTck, rssBytes: rssPages * pageSize };
}

/**
 * CPU seconds of a process's threads, summed by thread name (/proc/<pid>/task/<tid>/stat:
 * `node` is the main thread, `V8 DefaultWorke` V8's GC and compiler helpers, `libuv-worker`
 * the thread pool). Threads that ended since are not counted.
 */
export function readThreadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    out.set(name, (out.get(name) ?? 0) + parseProcStat(text).cpuSec);
  }
  return out;
}

export function readProc(pid: number): ProcSample {
  return { at: Date.now(), ...parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) };
}

/** Samples processes every `everyMs` and keeps their peak RSS, so a short spike is not missed. */
export class ProcWatch {
  private timer: NodeJS.Timeout;
  private peak = new Map<number, number>();

  constructor(
    private readonly pids: readonly number[],
    everyMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const pid of this.pids) {
      try {
        const s = readProc(pid);
        this.peak.set(pid, Math.max(this.peak.get(pid) ?? 0, s.rssBytes));
      } catch {
        // the process exited; its last sample stands
      }
    }
  }

  /** CPU seconds summed over the processes, now. */
  cpuSec(): number {
    return this.pids.reduce((sum, pid) => sum + readProc(pid).cpuSec, 0);
  }

  peakRssBytes(pid: number): number {
    this.sample();
    return this.peak.get(pid) ?? 0;
  }

  resetPeak(): void {
    this.peak.clear();
    this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
