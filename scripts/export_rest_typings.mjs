// Exports the JSON schemas of Rocket.Chat's REST request validators (npm @rocket.chat/rest-typings,
// bundled in tests/contract/node/build) to src/rocketchat_livechat/server/rest_typings.json, so
// that the embedded server validates requests with Rocket.Chat's own schemas.
//
//   node scripts/export_rest_typings.mjs            (writes the file)
//   node scripts/export_rest_typings.mjs --check    (fails when the file is out of date)
//
// Each validator records its AJV coercion mode: rest-typings compiles query validators with
// `ajvQuery` (coerceTypes: 'array': "x" -> ["x"], ["x"] -> "x") and the others with `ajv`
// (coerceTypes: true). The mode shows in the generated code (array coercion tests `.length == 1`).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = join(root, 'tests', 'contract', 'node');
const validators = await import(join(node, 'build', 'validators.mjs'));
const packages = JSON.parse(readFileSync(join(node, 'package.json'), 'utf8')).rocketchatPackages;
const out = join(root, 'src', 'rocketchat_livechat', 'server', 'rest_typings.json');

const entries = {};
for (const name of Object.keys(validators).sort()) {
  const fn = validators[name];
  if (!name.startsWith('is') || typeof fn !== 'function' || !fn.schema) continue;
  const code = fn.source?.validateCode ?? '';
  entries[name] = { coerce: /\.length\s*==\s*1/.test(code) ? 'array' : true, schema: fn.schema };
}
const text = `${JSON.stringify({ version: packages['@rocket.chat/rest-typings'], validators: entries }, null, 1)}\n`;
if (process.argv.includes('--check')) {
  // every exported validator must still be the bundle's (the bundle may hold more: the contract
  // bundle is shared and can grow; export again to take the new ones)
  const saved = JSON.parse(readFileSync(out, 'utf8'));
  const stale = Object.keys(saved.validators).filter(
    (name) => JSON.stringify(saved.validators[name]) !== JSON.stringify(entries[name]),
  );
  if (saved.version !== packages['@rocket.chat/rest-typings'] || stale.length) {
    process.stderr.write(`${out} is out of date (${stale.join(', ') || saved.version}): run node scripts/export_rest_typings.mjs\n`);
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
}
