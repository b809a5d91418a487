/**
 * Wraps a job so that it never runs twice at once: a call while it runs asks for one more run
 * once the current one ends (however many calls came in), and gets the promise of that whole run.
 * For work whose result only matters as of its latest request: re-reading the status after a
 * burst of writes, renewing the lease, pulling after a burst of nudges.
 */
export function coalesce(
  job: () => Promise<void>,
  options: { readonly stopped: () => boolean; readonly onError: (error: unknown) => void },
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          if (options.stopped()) return;
          await job();
        } while (again);
      } catch (error) {
        options.onError(error);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
