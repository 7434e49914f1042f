/** Colour only on a TTY, and never when NO_COLOR is set. */
const enabled = process.stdout.isTTY === true && !process.env.NO_COLOR;

const wrap = (code: number) => (s: string): string => (enabled ? `\u001b[${code}m${s}\u001b[0m` : s);

export const style = { dim: wrap(2), red: wrap(31), green: wrap(32), yellow: wrap(33), blue: wrap(34), magenta: wrap(35), bold: wrap(1) };
