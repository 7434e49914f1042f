/** Talks to the running lab's control API (HTTP JSON on 127.0.0.1). */
import { apiErrorSchema } from '@faultline/protocol';
import type { z } from 'zod';
import { readLabFile } from './lab-file.js';
import { LabUnavailableError, UsageError } from './usage-error.js';

const START_HINT = 'start one in another terminal with: npm start   (or: npx faultline up --detach)';

/** The lab's URL: `--lab`, else $FAULTLINE_LAB, else `.faultline/lab.json` written by `faultline up`. */
export function findLabUrl(flag: string | undefined): string {
  const url = flag ?? process.env.FAULTLINE_LAB ?? readLabFile()?.controlUrl;
  if (!url) throw new LabUnavailableError('no running lab found here (no .faultline/lab.json)', START_HINT);
  return url.replace(/\/$/, '');
}

export class LabClient {
  constructor(readonly baseUrl: string) {}

  async request<S extends z.ZodType>(method: string, path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new LabUnavailableError(`no lab answers at ${this.baseUrl}`, START_HINT);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new LabUnavailableError(`the lab at ${this.baseUrl} answered ${res.status} with something that is not JSON`);
    }
    if (!res.ok) {
      const err = apiErrorSchema.safeParse(json);
      const message = err.success ? err.data.error : `the lab answered ${res.status}`;
      if (res.status === 400 || res.status === 404) throw new UsageError(message);
      throw new LabUnavailableError(message);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new LabUnavailableError(`unexpected answer from the lab to ${method} ${path}: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }
}
