/**
 * Where other terminals find the running lab: `faultline up` writes `.faultline/lab.json` in the
 * directory it was started from (control URL, pid, run directory) and removes it when it stops.
 * A lab killed the hard way (SIGKILL) leaves its file behind: its pid tells that it is gone.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const labFileSchema = z.object({ controlUrl: z.string().url(), pid: z.number().int(), runDir: z.string(), seed: z.string() });
export type LabFile = z.infer<typeof labFileSchema>;

export function labFilePath(dir = process.cwd()): string {
  return join(dir, '.faultline', 'lab.json');
}

export function writeLabFile(info: LabFile, dir = process.cwd()): void {
  mkdirSync(join(dir, '.faultline'), { recursive: true });
  writeFileSync(labFilePath(dir), `${JSON.stringify(info, null, 2)}\n`);
}

export function readLabFile(dir = process.cwd()): LabFile | undefined {
  try {
    const parsed = labFileSchema.safeParse(JSON.parse(readFileSync(labFilePath(dir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function removeLabFile(dir = process.cwd()): void {
  rmSync(labFilePath(dir), { force: true });
}

/** Is the process that wrote the lab file still there? (EPERM: there, but another user's.) */
export function labProcessAlive(info: LabFile): boolean {
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
