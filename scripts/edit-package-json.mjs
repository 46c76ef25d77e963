// Additive edits to package.json under the shared npm lock: `node scripts/edit-package-json.mjs '<json patch>'`
// where the patch is {"scripts": {...}, "contributes": {...}, ...}. Objects merge key by key; arrays in
// `contributes` are merged by their `id`/`command`/`path`/`language` key (or appended when new); existing
// entries that the patch doesn't name are never touched.
import { readFileSync, writeFileSync } from 'node:fs';

const patch = JSON.parse(process.argv[2]);
const file = new URL('../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(file, 'utf8'));
const keyOf = o => (o && typeof o === 'object' ? (o.id ?? o.command ?? o.view ?? o.path ?? o.language ?? JSON.stringify(o)) : JSON.stringify(o));
function merge(target, source) {
    if (Array.isArray(target) && Array.isArray(source)) {
        for (const item of source) {
            const i = target.findIndex(t => keyOf(t) === keyOf(item));
            if (i >= 0) target[i] = merge(target[i], item);
            else target.push(item);
        }
        return target;
    }
    if (target && typeof target === 'object' && source && typeof source === 'object' && !Array.isArray(source)) {
        for (const [k, v] of Object.entries(source)) target[k] = k in target ? merge(target[k], v) : v;
        return target;
    }
    return source;
}
merge(pkg, patch);
writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
