// Bundles the compiled CLI (packages/cli/dist/main.js) and the model scanner's worker thread into
// packages/cli/dist/bundle/, split into chunks that each command loads on demand. Run by `npm run build`
// after `tsc -b`. Why: Node resolves, reads and links every ES module separately; the ~120 modules that
// `atlasguard scan model` loaded took more of a small scan than the scan itself.
//
// One copy of every workspace package goes into the bundle (a class such as AtlasGuardError must be the same
// in all of them). Left outside: packages with native code or optional peers. Two modules find files relative
// to their own location (the monitor's built-in rules, the web app's assets): their `import.meta.url` is
// rewritten to the module's original location, relative to the bundle, which holds in this repository and in
// an installed node_modules/@atlasguard/ tree alike.
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'packages', 'cli', 'dist', 'bundle');

/** Compiled modules whose `import.meta.url` must keep pointing at their own place in the package. */
const LOCATED = [
  join(root, 'packages', 'monitor', 'dist', 'rules', 'load-rules.js'),
  join(root, 'packages', 'web', 'dist', 'web-root.js'),
];

const keepLocation = {
  name: 'keep-module-location',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      // esbuild hands over resolved paths (workspace symlinks followed), the form LOCATED is written in.
      const path = args.path;
      if (!LOCATED.includes(path)) return undefined;
      const source = await readFile(path, 'utf8');
      const from = relative(outdir, path).split('\\').join('/');
      const located = `new URL(${JSON.stringify(from)}, import.meta.url).href`;
      if (!source.includes('import.meta.url')) throw new Error(`${path}: no import.meta.url to rewrite`);
      return {
        contents: source.replaceAll('import.meta.url', located),
        loader: 'js',
        resolveDir: dirname(path),
      };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    main: join(root, 'packages', 'cli', 'dist', 'main.js'),
    // scan-paths.ts starts its pool from `new URL('./worker.js', import.meta.url)`: next to its chunk.
    worker: join(root, 'packages', 'scan-model', 'dist', 'scan', 'worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons and their optional peers stay ordinary imports from node_modules.
  external: ['better-sqlite3', 'pg', 'pg-native', 'pg-cloudflare', '@node-rs/*'],
  // CommonJS dependencies (commander) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __agCreateRequire } from 'node:module'; const require = __agCreateRequire(import.meta.url);",
  },
  plugins: [keepLocation],
  logLevel: 'warning',
  metafile: true,
});
const located = Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
for (const path of LOCATED) {
  const rel = relative(root, path).split('\\').join('/');
  if (!located.includes(rel))
    throw new Error(`bundle-cli: ${rel} is not in the bundle any more; update LOCATED`);
}
