/** Per-call options shared by the adapters: abort stops the call and its retries. */
export interface CallOptions {
  abortSignal?: AbortSignal;
}
