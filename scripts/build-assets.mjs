// Copies the parts of DKFDS we serve (compiled CSS, JS, fonts, icons) into static_build/dkfds,
// where Django's staticfiles finds them. No bundler: the pages need no JavaScript to work.
// Also the Arabic-script font (Noto Sans Arabic, Arabic letters only, regular and bold) for
// Arabic and Farsi pages, served from the site itself (static/css/arabic-script.css).
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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
for (const part of ["css", "js", "img", "fonts/IBMPlexSans/split/woff2"]) {
  cpSync(join(source, part), join(target, part), { recursive: true });
}
// DKFDS's own @font-face rules point at IBM Plex Sans's "complete" files (57-83 KB each, the
// Regular one as WOFF before WOFF2). static/css/fonts.css declares the small split files
// instead, and Arabic and Farsi pages use Noto Sans Arabic: without these rules no page can
// fall back to a complete file (an Arabic page once fetched three of them, 199 KB). Every
// stylesheet copied, not only the one served: collectstatic's manifest storage follows each
// url() of each CSS file and refuses to finish at the first font that is not there.
for (const name of readdirSync(join(target, "css"))) {
  if (name.endsWith(".css")) {
    const file = join(target, "css", name);
    writeFileSync(file, readFileSync(file, "utf8").replace(/@font-face\s*\{[^}]*\}/g, ""));
  }
}
console.log(`DKFDS assets copied to ${target}`);

const fontSource = join(root, "node_modules", "@fontsource", "noto-sans-arabic");
const fontTarget = join(root, "static_build", "fonts", "noto-sans-arabic");
if (!existsSync(fontSource)) {
  console.error("@fontsource/noto-sans-arabic is not installed: run `npm ci` first.");
  process.exit(1);
}
rmSync(fontTarget, { recursive: true, force: true });
mkdirSync(fontTarget, { recursive: true });
for (const weight of ["400", "700"]) {
  const name = `noto-sans-arabic-arabic-${weight}-normal.woff2`;
  cpSync(join(fontSource, "files", name), join(fontTarget, name));
}
cpSync(join(fontSource, "LICENSE"), join(fontTarget, "LICENSE"));
console.log(`Noto Sans Arabic copied to ${fontTarget}`);
