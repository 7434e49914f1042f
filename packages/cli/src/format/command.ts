/**
 * How the program writes a command for a person to type: `npx faultline …` works as typed in the
 * repository (npm links the CLI's bin into node_modules/.bin), where a bare `faultline` is not on
 * PATH. Outside it (a student's own folder, reached with `npm run --prefix REPO faultline -- …`),
 * npx would look for faultline on the registry: there the commands name the repository. In a hint
 * the command is in backticks, so where it ends is plain. A command that talks to the lab carries
 * the `--lab URL` this one was given, so it reaches the same lab as typed.
 */
let words = 'npx faultline';

/** The words that start a command, as typed where this one was (`npx faultline` in the repository). */
export function cli(): string {
  return words;
}

/** A path as a shell takes it: bare when it is plain, else in single quotes. */
const quoted = (path: string): string => (/^[\w./~+-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`);

/**
 * This process was started by `npm run faultline` in `repo` for a person in `from`: from outside
 * the repository the commands it prints are `npm run --prefix REPO faultline -- …`.
 */
export function typedFrom(from: string, repo: string): void {
  const inside = from === repo || from.startsWith(repo.endsWith('/') ? repo : `${repo}/`);
  words = inside ? 'npx faultline' : `npm run --prefix ${quoted(repo)} faultline --`;
}

/** The commands that talk to a running lab (and so need its `--lab`, when one was given). */
const TO_THE_LAB = new Set(['status', 'trace', 'diagram', 'order', 'rpc', 'invoke', 'behaviour', 'kill', 'pause', 'resume', 'revive', 'clock', 'partition', 'block', 'heal', 'link', 'hold', 'release', 'down', 'dashboard']);

let labFlag: string | undefined;

/** This command was given `--lab URL`: the hints it prints that talk to a lab carry it too. */
export function hintsForLab(url: string | undefined): void {
  labFlag = url;
}

/** `npx faultline <args>` (or as `cli()` says) in backticks, for a hint. */
export function cmd(args: string): string {
  const first = args.split(' ')[0];
  const lab = labFlag !== undefined && TO_THE_LAB.has(first) && !/(^| )--(lab|trace)( |$)/.test(args) ? ` --lab ${labFlag}` : '';
  return `\`${words} ${args}${lab}\``;
}
