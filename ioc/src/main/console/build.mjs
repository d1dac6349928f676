// Bundles the console into the node's classpath (target/classes/console) with esbuild.
import * as esbuild from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, process.argv[2] ?? "../../../target/classes/console");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Content-hashed names: a new build is never hidden behind a cached app.js.
const result = await esbuild.build({
  entryPoints: [resolve(here, "src/main.jsx")],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["es2020"],
  jsx: "automatic",
  jsxImportSource: "preact",
  loader: { ".css": "css" },
  outdir: out,
  entryNames: "app-[hash]",
  metafile: true,
  logLevel: "warning",
});
const outputs = Object.keys(result.metafile.outputs).map((f) => basename(f));
const js = outputs.find((f) => f.endsWith(".js"));
const css = outputs.find((f) => f.endsWith(".css"));
const html = readFileSync(resolve(here, "src/index.html"), "utf8")
  .replace('src="app.js"', `src="${js}"`)
  .replace('href="app.css"', `href="${css}"`);
writeFileSync(resolve(out, "index.html"), html);
console.log(`console built into ${out}`);
