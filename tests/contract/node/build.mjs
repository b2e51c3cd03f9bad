// Bundles Rocket.Chat's REST request validators into build/validators.mjs.
//
// @rocket.chat/rest-typings is ESM with extensionless imports and its typings packages depend on a
// yarn-patched typia, so a plain `npm install` of it fails. Instead the four @rocket.chat packages
// listed under "rocketchatPackages" in package.json are fetched with `npm pack`, unpacked into
// build/vendor/, and esbuild bundles the omnichannel (and chat) validators with the @rocket.chat
// imports aliased to the unpacked folders. Runs from `npm install` (postinstall); skips the work
// when the bundle for these exact versions already exists, unless given --force.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const packages = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).rocketchatPackages;
const buildDir = join(here, 'build');
const vendorDir = join(buildDir, 'vendor');
const bundle = join(buildDir, 'validators.mjs');
const stamp = join(buildDir, 'stamp.json');
// the validators of chat.ts the SDK's agent-side calls use (omnichannel.ts is exported whole)
const chatValidators = [
  'isChatSendMessageProps',
  'isChatGetMessageProps',
  'isChatUpdateProps',
  'isChatDeleteProps',
];
const vendored = JSON.stringify(packages);
const wanted = JSON.stringify({ packages, chatValidators });

function stamped() {
  return existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
}

function upToDate() {
  return existsSync(bundle) && stamped() === wanted;
}

// the unpacked packages are these exact versions (a bundle built by an older build.mjs stamped
// only the package versions): only the bundle needs building again
function vendorUpToDate() {
  const previous = stamped();
  return existsSync(vendorDir) && (previous === vendored || previous.startsWith(`{"packages":${vendored},`));
}

function unpack(name, version) {
  const folder = join(vendorDir, name.replace('@rocket.chat/', ''));
  const [packed] = JSON.parse(
    execFileSync(
      'npm',
      ['pack', '--json', '--pack-destination', vendorDir, `${name}@${version}`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  mkdirSync(folder, { recursive: true });
  const archive = join(vendorDir, packed.filename);
  execFileSync('tar', ['xzf', archive, '-C', folder, '--strip-components=1']);
  return folder;
}

if (!process.argv.includes('--force') && upToDate()) {
  process.exit(0);
}
const reuse = !process.argv.includes('--force') && vendorUpToDate();
if (!reuse) {
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(vendorDir, { recursive: true });
}
const folders = Object.fromEntries(
  Object.entries(packages).map(([name, version]) => [
    name,
    reuse ? join(vendorDir, name.replace('@rocket.chat/', '')) : unpack(name, version),
  ]),
);
const typings = join(folders['@rocket.chat/rest-typings'], 'dist', 'v1');
const entry = join(buildDir, 'entry.mjs');
writeFileSync(
  entry,
  [
    `export * from ${JSON.stringify(join(typings, 'omnichannel.js'))};`,
    `export { ${chatValidators.join(', ')} }`,
    `  from ${JSON.stringify(join(typings, 'chat.js'))};`,
    '',
  ].join('\n'),
);
await build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
  alias: Object.fromEntries(
    Object.entries(folders).filter(([name]) => name !== '@rocket.chat/rest-typings'),
  ),
});
writeFileSync(stamp, wanted);
