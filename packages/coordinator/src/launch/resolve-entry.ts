/**
 * Where a process package's entry point is: each exports its own (`@faultline/node/main`,
 * `@faultline/proxy/main`), and the coordinator reaches it through the package, resolved from
 * here (node_modules), never by a path into another package's folder.
 */
import { createRequire } from 'node:module';
import { FaultlineError } from '@faultline/protocol';

/** The file `specifier` names; a `failed` FaultlineError naming `what` and `hint` if it is not installed. */
export function resolveEntry(specifier: string, what: string, hint: string): string {
  try {
    return createRequire(import.meta.url).resolve(specifier);
  } catch (err) {
    throw new FaultlineError('failed', `${what} is not installed (cannot resolve ${specifier}); ${hint}`, { cause: err });
  }
}
