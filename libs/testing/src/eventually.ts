/**
 * Retries an assertion until it passes or the deadline is reached (then its last error is
 * thrown). Tests poll for a condition instead of sleeping for a guessed duration.
 */
export async function eventually(
  check: () => void | Promise<void>,
  timeoutMs = 10_000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
