// The production entry point (`npm start`). Kubernetes may stop a pod at any moment, start-up
// included, so the signal handlers come first, before the app is even loaded: a SIGTERM during
// start-up then ends in exit 0, and the server never begins listening after it.
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // `on`, not `once`: `npm start` passes on the signal its process group already received, and a
  // second one must not fall through to Node's default handler (killed mid-drain).
  process.on(signal, () => {
    stop.abort(signal);
  });
}

const { run } = await import('./run.js');
// Explicitly, not by an empty event loop: a reconnecting client must not keep a stopped server alive.
process.exit(await run(stop.signal));
