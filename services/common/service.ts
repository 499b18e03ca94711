/** What every `create…Service` factory returns: a long-running part of the grid. */
export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
}
