/** The colour of each kind of arrow, the same on the canvas and in the SVG export. */
export const ARROW_COLORS = { message: '#2b6cb0', duplicate: '#b7791f', dropped: '#c53030', held: '#6b46c1', late: '#2f855a' } as const;
