/**
 * `POST /api/maintenance/categoryOptionComboUpdate`: adds the missing category option combos of
 * every category combo and prunes the ones no longer possible (dhis2-core `MaintenanceController`
 * -> `CategoryManager.addAndPruneAllOptionCombos`; 204). QUIRKS.md: in 2.43 saving a category combo
 * does not generate its combos; this call does.
 */
import type { MetadataObject, MetadataStore } from "../metadata-store.js";
import { refId, refIds } from "../refs.js";
import { generateUid } from "../uid.js";

function cartesian(lists: readonly string[][]): string[][] {
  return lists.reduce<string[][]>(
    (acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])),
    [[]],
  );
}

/** Brings every category combo's option combos in line with its categories; returns what changed. */
export function updateCategoryOptionCombos(
  store: MetadataStore,
  timestamp: string,
): { created: string[]; removed: string[] } {
  const created: string[] = [];
  const removed: string[] = [];
  const cocs = store.list("categoryOptionCombos");
  for (const combo of store.list("categoryCombos")) {
    const categories = refIds(combo.categories).map((id) => store.get("categories", id));
    if (categories.some((c) => c === undefined)) continue;
    const optionLists = categories.map((c) => refIds((c as MetadataObject).categoryOptions));
    // A category without options makes no combos; leave such a combo alone rather than prune it empty.
    if (optionLists.length === 0 || optionLists.some((l) => l.length === 0)) continue;
    const wanted = cartesian(optionLists);
    const keyOf = (options: readonly string[]) => [...options].sort().join(",");
    const existing = cocs.filter((c) => refId(c.categoryCombo) === combo.id);
    const byKey = new Map(existing.map((c) => [keyOf(refIds(c.categoryOptions)), c]));
    const keep: string[] = [];
    for (const options of wanted) {
      const found = byKey.get(keyOf(options));
      if (found) {
        keep.push(found.id);
        byKey.delete(keyOf(options));
        continue;
      }
      const name = options.map((o) => store.get("categoryOptions", o)?.name ?? o).join(", ");
      const coc = store.put("categoryOptionCombos", {
        id: generateUid(),
        name,
        created: timestamp,
        lastUpdated: timestamp,
        ignoreApproval: false,
        categoryCombo: { id: combo.id },
        categoryOptions: options.map((id) => ({ id })),
      });
      created.push(coc.id);
      keep.push(coc.id);
    }
    for (const stale of byKey.values()) {
      store.delete("categoryOptionCombos", stale.id);
      removed.push(stale.id);
    }
    combo.categoryOptionCombos = keep.map((id) => ({ id }));
  }
  return { created, removed };
}
