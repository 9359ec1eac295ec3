// The ref-m serving workload the benches share: an items table of random item-source values and
// 512-candidate request bodies (~10% unknown items, one 64-d user sequence each).
import { encodeCategorical, hashToBucket, itemSourceFeatures, refMSpec, writeItemsTable } from '@thaw/spec';

/** `items-table.bin` bytes for `itemCount` ref-m items `pin-0 …` with values drawn from `rng`, and their ids. */
export function refMItemsTable(itemCount, rng) {
  const itemIds = Array.from({ length: itemCount }, (_, i) => `pin-${i}`);
  const features = {};
  for (const f of itemSourceFeatures(refMSpec)) {
    if (f.kind === 'dense') features[f.name] = Float32Array.from({ length: itemCount * f.dim }, () => rng.normal());
    else if (f.kind === 'categorical')
      features[f.name] = Int32Array.from({ length: itemCount }, () =>
        encodeCategorical(f, Math.floor(rng.uniform() * f.vocabSize)),
      );
    else features[f.name] = Int32Array.from(itemIds, (id) => hashToBucket(id, f.buckets));
  }
  return { itemIds, bytes: writeItemsTable(refMSpec, { itemIds, features, asOf: 'bench' }) };
}

/** `count` `POST /v1/rank` bodies of `batch` candidates (~10% unknown to the table), topK 25. */
export function refMRequestBodies(itemIds, rng, { count = 8, batch = 512 } = {}) {
  return Array.from({ length: count }, (_, b) => ({
    context: { user_seq: Array.from({ length: 64 }, () => Math.fround(rng.normal())) },
    candidates: Array.from({ length: batch }, (_, i) => ({
      itemId: rng.uniform() < 0.1 ? `new-${b}-${i}` : itemIds[Math.floor(rng.uniform() * itemIds.length)],
    })),
    topK: 25,
  }));
}
