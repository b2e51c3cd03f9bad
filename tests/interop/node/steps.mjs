// What the interop scripts share: one JSON line per step on stdout, a timeout per step, and exit
// code 1 at the first failing step.

const STEP_TIMEOUT_MS = 10_000;

export function emit(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    const error = new Error(`${what}: no answer in ${STEP_TIMEOUT_MS} ms`);
    timer = setTimeout(() => reject(error), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Runs `action`, prints {"step": name, "ok": true, ...report(result)} and returns the result; a
// failure prints {"step": name, "ok": false, "error": describe(error)} and exits with code 1.
const errorMessage = (error) => (error instanceof Error ? error.message : error);

export async function step(name, action, report, describe = errorMessage) {
  let result;
  try {
    result = await withTimeout(Promise.resolve().then(action), name);
  } catch (error) {
    emit({ step: name, ok: false, error: describe(error) });
    process.exit(1);
  }
  emit({ step: name, ok: true, ...report(result) });
  return result;
}
