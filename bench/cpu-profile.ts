/**
 * BENCH_PROFILE=1: a CPU profile of one page over a stretch of a bench (Chromium's sampling
 * profiler through CDP), written to the temp folder and summarised on stderr as self time per
 * function, to see where a figure's time goes.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function of a CPU profile (CDP Profiler.stop), largest first. */
function topSelfTime(profile: CpuProfile, count = 15): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] ?? -1);
    if (!node) continue;
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${name}`);
}

/**
 * Starts profiling `page` when BENCH_PROFILE is set; the returned stop() writes
 * tillpoint-NAME.cpuprofile and logs its top functions (a no-op when not profiling).
 */
export async function profileWhenAsked(page: Page, name: string): Promise<() => Promise<void>> {
  if (!process.env['BENCH_PROFILE']) return async () => undefined;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    const file = join(tmpdir(), `tillpoint-${name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    process.stderr.write(`CPU profile of ${name}: ${file}; self time, top functions:\n`);
    for (const line of topSelfTime(profile)) process.stderr.write(`${line}\n`);
    await cdp.detach();
  };
}
