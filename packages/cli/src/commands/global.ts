export interface GlobalOptions {
  json: boolean;
  /** The lab's control URL, when given with --lab. */
  lab?: string;
}
