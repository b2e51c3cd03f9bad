// Validates request payloads with Rocket.Chat's own AJV validators (bundled by build.mjs).
//
// One JSON object per stdin line, one JSON answer per stdout line:
//   {"validator": "isPOSTLivechatMessageParams", "data": {...}} -> {"valid": bool, "errors": [...]}
//   {"list": true}                                               -> {"validators": ["is...", ...]}
// A malformed request or an unknown validator answers {"error": "..."}. The data is validated as
// given (a copy: Rocket.Chat's AJV instances coerce types in place).
import { createInterface } from 'node:readline';

let validators;
try {
  validators = await import('./build/validators.mjs');
} catch (error) {
  process.stderr.write(`validators not built (run npm install in this folder): ${error.message}\n`);
  process.exit(2);
}

const names = Object.keys(validators).filter(
  (name) => name.startsWith('is') && typeof validators[name] === 'function',
);

function answer(request) {
  if (request.list) {
    return { validators: names };
  }
  const validate = validators[request.validator];
  if (!names.includes(request.validator)) {
    return { error: `unknown validator: ${request.validator}` };
  }
  const valid = validate(structuredClone(request.data));
  return { valid, errors: valid ? [] : validate.errors };
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  let reply;
  try {
    reply = answer(JSON.parse(line));
  } catch (error) {
    reply = { error: String(error) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
