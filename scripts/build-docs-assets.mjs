// Puts the pinned Swagger UI (the swagger-ui-dist npm package, never a CDN) into the Worker's
// static assets, web/dist/vendor/swagger-ui/, with an external init script so the /docs page needs
// no inline script. Also writes web/dist/_headers: the platform serves assets without running the
// Worker, so the dashboard's pages get their Content-Security-Policy from there.
// Run after any dashboard build (a Vite build empties web/dist).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "web", "dist");
const target = path.join(dist, "vendor", "swagger-ui");
const source = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const { version } = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8"));

mkdirSync(target, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui-bundle.js.LICENSE.txt", "swagger-ui.css", "favicon-32x32.png", "LICENSE", "NOTICE"]) {
  copyFileSync(path.join(source, file), path.join(target, file));
}

// The /docs page (src/routes/docs) names the document in data-url; validatorUrl: null keeps the
// page from asking validator.swagger.io about it.
writeFileSync(
  path.join(target, "init.js"),
  `// Swagger UI ${version} from the swagger-ui-dist package; written by scripts/build-docs-assets.mjs.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: root.dataset.url, domNode: root, deepLinking: true, validatorUrl: null });
});
`,
);

// The same policy the Worker sends (src/lib/content-security-policy.json), in the header's syntax.
const directives = JSON.parse(readFileSync(path.join(root, "src", "lib", "content-security-policy.json"), "utf8"));
const csp = Object.entries(directives)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(" ")}`)
  .join("; ");
writeFileSync(
  path.join(dist, "_headers"),
  `# Written by scripts/build-docs-assets.mjs: headers for static assets (the Worker sets its own).
/*
  Content-Security-Policy: ${csp}
  X-Content-Type-Options: nosniff
  X-Frame-Options: DENY
  Referrer-Policy: no-referrer
  Cross-Origin-Opener-Policy: same-origin
/assets/*
  Cache-Control: public, max-age=31536000, immutable
`,
);
console.log(`Swagger UI ${version} copied to ${path.relative(root, target)}`);
