// Copies the parts of DKFDS we serve (compiled CSS, JS, fonts, icons) into static_build/dkfds,
// where Django's staticfiles finds them. No bundler: the pages need no JavaScript to work.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "node_modules", "dkfds", "dist");
const target = join(root, "static_build", "dkfds");

if (!existsSync(source)) {
  console.error("dkfds is not installed: run `npm ci` first.");
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const part of ["css", "js", "img", "fonts/IBMPlexSans/complete"]) {
  cpSync(join(source, part), join(target, part), { recursive: true });
}
console.log(`DKFDS assets copied to ${target}`);
