/**
 * The work every link of the process may do in one turn of the event loop, shared: a stage
 * spends one unit per action it carries out (a socket write, mostly) and per action its toxic
 * produced; once the turn's budget is spent, stages yield until the next turn, after Node has
 * polled the sockets. One busy link is bounded by MAX_ACTIONS_PER_TURN; this bounds twenty.
 */
export const TURN_BUDGET_ACTIONS = 2048;

let used = 0;
let resetArmed = false;

function arm(): void {
  if (resetArmed) return;
  resetArmed = true;
  // Runs in this loop iteration's check phase, after the I/O callbacks of its poll phase.
  setImmediate(() => {
    used = 0;
    resetArmed = false;
  });
}

/** Is there budget left in this turn? */
export function budgetLeft(): boolean {
  arm();
  return used < TURN_BUDGET_ACTIONS;
}

export function spend(actions: number): void {
  arm();
  used += actions;
}
