/** Polls until `probe` returns a truthy value (the queue consumer works in the background). */
export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 8_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 25));
  }
  throw new Error(`timed out waiting for ${options.what ?? "a condition"}${last ? `: ${String(last)}` : ""}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
