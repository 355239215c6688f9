/**
 * The benchmark runner's contract. A benchmark is a file exporting a {@link Benchmark}; adding
 * one is adding that file and one line in `bench/registry.ts`.
 */
import { cpus, platform, release } from "node:os";

/** What a benchmark reports. */
export interface BenchResult {
  /** Lines for the terminal. */
  readonly lines: readonly string[];
  /** The body of its section in docs/benchmarks.md (markdown, no heading). */
  readonly markdown: string;
}

export interface Benchmark {
  /** Stable id: the CLI filter and the marker of its section in docs/benchmarks.md. */
  readonly id: string;
  /** Section heading. */
  readonly title: string;
  run(): Promise<BenchResult>;
}

/** Runs `task` `total` times with `concurrency` workers; returns requests per second. */
export async function throughput(
  total: number,
  concurrency: number,
  task: () => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        await task();
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** One line describing where the numbers came from. */
export function machineNote(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? "unknown CPU"} x${cpu.length}, ${platform()} ${release()}, Node ${process.version}`;
}

export const today = (): string => new Date().toISOString().slice(0, 10);
