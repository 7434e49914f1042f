/**
 * Memory of processes over time: RSS (`sampleRss`, from /proc/PID/status) in MB, and the slope of
 * a series by least squares, MB per minute.
 */
import { sampleRss } from '../support/rss.js';

/** Resident set size of `pid` in MB, or undefined when it is gone (or not on Linux). */
export function rssMb(pid: number): number | undefined {
  const bytes = sampleRss(pid);
  return bytes === undefined ? undefined : bytes / (1024 * 1024);
}

export interface Sample {
  /** ms since the series began. */
  readonly atMs: number;
  readonly mb: number;
}

export interface MemorySummary {
  readonly samples: number;
  readonly firstMb: number;
  readonly lastMb: number;
  readonly maxMb: number;
  /** Least-squares slope, MB per minute (0 with fewer than two samples). */
  readonly slopeMbPerMin: number;
}

export function summarize(series: readonly Sample[]): MemorySummary {
  const n = series.length;
  if (n === 0) return { samples: 0, firstMb: NaN, lastMb: NaN, maxMb: NaN, slopeMbPerMin: 0 };
  const mx = series.reduce((s, p) => s + p.atMs, 0) / n;
  const my = series.reduce((s, p) => s + p.mb, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of series) {
    sxy += (p.atMs - mx) * (p.mb - my);
    sxx += (p.atMs - mx) ** 2;
  }
  const perMs = sxx === 0 ? 0 : sxy / sxx;
  return { samples: n, firstMb: series[0].mb, lastMb: series[n - 1].mb, maxMb: Math.max(...series.map((p) => p.mb)), slopeMbPerMin: perMs * 60_000 };
}

/** Samples named processes every `everyMs`; a process's series is keyed by `name pid`. */
export class RssSampler {
  private readonly series = new Map<string, { name: string; pid: number; samples: Sample[] }>();
  private timer?: NodeJS.Timeout;
  private readonly t0 = performance.now();

  constructor(private readonly pids: () => Promise<ReadonlyArray<{ name: string; pid: number }>> | ReadonlyArray<{ name: string; pid: number }>) {}

  start(everyMs: number): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    const atMs = performance.now() - this.t0;
    for (const { name, pid } of await this.pids()) {
      const mb = rssMb(pid);
      if (mb === undefined) continue;
      const key = `${name} ${pid}`;
      const s = this.series.get(key) ?? { name, pid, samples: [] };
      s.samples.push({ atMs, mb });
      this.series.set(key, s);
    }
  }

  /** Every pid sampled. */
  sampledPids(): number[] {
    return [...this.series.values()].map((s) => s.pid);
  }

  /** One row a name: its longest-lived process's series (a revived node is a new process), and how many it had. */
  summaries(): Array<{ name: string; pid: number; processes: number } & MemorySummary> {
    const byName = new Map<string, Array<{ pid: number; samples: Sample[] }>>();
    for (const s of this.series.values()) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
    return [...byName].map(([name, list]) => {
      const longest = list.reduce((a, b) => (b.samples.length > a.samples.length ? b : a));
      return { name, pid: longest.pid, processes: list.length, ...summarize(longest.samples) };
    });
  }
}
