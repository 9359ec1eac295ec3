// Writes impressions.csv: a small, made-up impression log in the shape thaw-train reads from your
// own data — one row per (request, candidate item) with its labels, item content, and historical
// features computed AS OF the impression from strictly earlier rows (the part you compute yourself
// for CSV/Parquet data). Deterministic: run it again and you get the same file.
//
//   node examples/own-data/make-impressions.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function lcg(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const random = lcg(7);
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const CATEGORIES = ['shoes', 'hats', 'bags', 'scarves', 'belts', 'socks'];
/** How much each category is liked, whoever the user (a logit offset). */
const CATEGORY_APPEAL = { shoes: 0.8, hats: -0.6, bags: 0.4, scarves: -0.2, belts: -0.8, socks: 0.1 };
const DAY = 86400;
const START = Date.UTC(2025, 0, 1) / 1000;
const DAYS = 40;

// 60 items exist before the log starts (warm once shown); 90 more arrive over the 40 days, as in production.
const items = Array.from({ length: 150 }, (_, i) => ({
  id: `item-${String(i).padStart(3, '0')}`,
  category: CATEGORIES[Math.floor(random() ** 1.5 * CATEGORIES.length)],
  price: Math.round((5 + random() * 95) * 100) / 100,
  quality: random() * 2 - 1,
  created: START + Math.floor((i < 60 ? -30 - random() * 60 : random() * (DAYS - 1)) * DAY),
}));
const users = Array.from({ length: 80 }, (_, u) => ({ id: `user-${u}`, likes: CATEGORIES[u % CATEGORIES.length] }));

// As-of history: what was shown and clicked strictly before the current request.
const shown = new Map();
const clicked = new Map();
const header = 'request_id,ts,user_id,item_id,item_created,category,price,item_log_impressions,item_ctr,clicked,saved';
const lines = [header];
let request = 0;
for (let day = 0; day < DAYS; day++) {
  for (let q = 0; q < 30; q++) {
    const ts = START + day * DAY + Math.floor(((q + random()) / 30) * DAY);
    const user = users[Math.floor(random() * users.length)];
    const available = items.filter((it) => it.created <= ts);
    const candidates = new Set();
    while (candidates.size < Math.min(5, available.length)) candidates.add(available[Math.floor(random() * available.length)]);
    const id = `r${String(request++).padStart(5, '0')}`;
    const rows = [];
    for (const item of candidates) {
      const n = shown.get(item.id) ?? 0;
      const c = clicked.get(item.id) ?? 0;
      const ctr = (c + 1) / (n + 10); // smoothed towards 0.1
      const p = sigmoid(
        -1.4 + 1.5 * item.quality + CATEGORY_APPEAL[item.category] + (item.category === user.likes ? 0.8 : 0) - item.price / 60,
      );
      const click = random() < p ? 1 : 0;
      const save = click === 1 && random() < 0.35 ? 1 : 0;
      rows.push({ item, click });
      lines.push(
        [
          id,
          new Date(ts * 1000).toISOString(),
          user.id,
          item.id,
          new Date(item.created * 1000).toISOString(),
          item.category,
          item.price.toFixed(2),
          Math.log1p(n).toFixed(4),
          ctr.toFixed(4),
          click,
          save,
        ].join(','),
      );
    }
    // History is updated after the request: a row never sees its own outcome.
    for (const { item, click } of rows) {
      shown.set(item.id, (shown.get(item.id) ?? 0) + 1);
      clicked.set(item.id, (clicked.get(item.id) ?? 0) + click);
    }
  }
}
const out = join(dirname(fileURLToPath(import.meta.url)), 'impressions.csv');
writeFileSync(out, `${lines.join('\n')}\n`);
process.stdout.write(`wrote ${lines.length - 1} rows (${request} requests) to ${out}\n`);
