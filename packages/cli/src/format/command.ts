/**
 * How the program writes a command for a person to type: `npx faultline …` works as typed in the
 * repository (npm links the CLI's bin into node_modules/.bin), where a bare `faultline` is not on
 * PATH. In a hint the command is in backticks, so where it ends is plain. A command that talks to
 * the lab carries the `--lab URL` this one was given, so it reaches the same lab as typed.
 */
export const CLI = 'npx faultline';

/** The commands that talk to a running lab (and so need its `--lab`, when one was given). */
const TO_THE_LAB = new Set(['status', 'trace', 'diagram', 'order', 'rpc', 'invoke', 'behaviour', 'kill', 'pause', 'resume', 'revive', 'clock', 'partition', 'block', 'heal', 'link', 'hold', 'release', 'down', 'dashboard']);

let labFlag: string | undefined;

/** This command was given `--lab URL`: the hints it prints that talk to a lab carry it too. */
export function hintsForLab(url: string | undefined): void {
  labFlag = url;
}

/** `npx faultline <args>` in backticks, for a hint. */
export function cmd(args: string): string {
  const first = args.split(' ')[0];
  const lab = labFlag !== undefined && TO_THE_LAB.has(first) && !/(^| )--(lab|trace)( |$)/.test(args) ? ` --lab ${labFlag}` : '';
  return `\`${CLI} ${args}${lab}\``;
}
