// Bundles the console into the node's classpath (target/classes/console) with esbuild, and the API
// reference (Swagger UI from npm with docs/openapi.yaml) beside it (target/classes/api-docs).
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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

const docs = resolve(out, "..", "api-docs");
rmSync(docs, { recursive: true, force: true });
mkdirSync(docs, { recursive: true });
const swagger = resolve(here, "node_modules/swagger-ui-dist");
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-bundle.js.LICENSE.txt", "LICENSE", "NOTICE"]) {
  copyFileSync(resolve(swagger, file), resolve(docs, file));
}
for (const file of ["index.html", "init.js"]) copyFileSync(resolve(here, "api-docs", file), resolve(docs, file));
copyFileSync(resolve(here, "../../../../docs/openapi.yaml"), resolve(docs, "openapi.yaml"));
console.log(`API reference built into ${docs}`);

// A fingerprint of what this build read, beside the console and not served by the node. The
// standalone node's browser tests compare it with the tree: a lantern-ioc jar installed earlier and
// taken from the local Maven repository (when ioc is left out of the build) then fails as stale,
// not as elements missing from the page. Each input adds its path, its length and its bytes.
const tree = (dir) =>
  readdirSync(resolve(here, dir), { recursive: true })
    .map((file) => `${dir}/${file}`)
    .filter((file) => statSync(resolve(here, file)).isFile());
const inputs = [
  ...[...tree("src"), ...tree("api-docs")].sort(),
  "build.mjs",
  "package.json",
  "package-lock.json",
  "../../../../docs/openapi.yaml",
];
const fingerprint = createHash("sha256");
for (const input of inputs) {
  const bytes = readFileSync(resolve(here, input));
  fingerprint.update(`${input}\n${bytes.length}\n`);
  fingerprint.update(bytes);
}
writeFileSync(resolve(out, "..", "console-sources.sha256"), `${fingerprint.digest("hex")}\n`);
