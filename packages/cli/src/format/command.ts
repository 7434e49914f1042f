/**
 * How the program writes a command for a person to type: `npx faultline …` works as typed in the
 * repository (npm links the CLI's bin into node_modules/.bin), where a bare `faultline` is not on
 * PATH. In a hint the command is in backticks, so where it ends is plain.
 */
export const CLI = 'npx faultline';

/** `npx faultline <args>` in backticks, for a hint. */
export function cmd(args: string): string {
  return `\`${CLI} ${args}\``;
}
