/**
 * `/api/validationResults`: the outcome of validation rule analysis. The answer has one fixed
 * shape whatever `fields` says, references as bare `{ id }`: `fields=*` does not expand them the
 * way it does on metadata lists (QUIRKS.md "Semantics"; dhis2-core `ValidationResultController`
 * renders `ValidationResult`, whose references serialise as ids, and `/{id}` takes no `fields`
 * at all). Results are put in `app.extensions.validationResults` by validation rule analysis with
 * `persist: true` (`validation/analysis.ts`), or by tests.
 */
import type { EmulatorApp, EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";

/** One stored validation result (DHIS2 numbers them with database ids). */
export interface ValidationResultRecord {
  id: number;
  validationRule: string;
  period: string;
  organisationUnit: string;
  attributeOptionCombo: string;
  leftsideValue: number;
  rightsideValue: number;
  dayInPeriod?: number;
  notificationSent?: boolean;
  created: string;
}

declare module "../app.js" {
  interface EmulatorExtensions {
    validationResults?: ValidationResultRecord[];
  }
}

function render(r: ValidationResultRecord): Record<string, unknown> {
  return {
    id: r.id,
    created: r.created,
    validationRule: { id: r.validationRule },
    period: { id: r.period },
    organisationUnit: { id: r.organisationUnit },
    attributeOptionCombo: { id: r.attributeOptionCombo },
    leftsideValue: r.leftsideValue,
    rightsideValue: r.rightsideValue,
    dayInPeriod: r.dayInPeriod ?? 0,
    notificationSent: r.notificationSent ?? false,
  };
}

const positive = (raw: string | null, fallback: number) => {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

function results(app: EmulatorApp): ValidationResultRecord[] {
  app.extensions.validationResults ??= [];
  return app.extensions.validationResults;
}

function list(ctx: Ctx): void {
  const all = results(ctx.app);
  const ou = ctx.query.getAll("ou");
  const vr = ctx.query.getAll("vr");
  const kept = all.filter(
    (r) =>
      (ou.length === 0 || ou.includes(r.organisationUnit)) &&
      (vr.length === 0 || vr.includes(r.validationRule)),
  );
  if (ctx.query.get("paging")?.toLowerCase() === "false") {
    ctx.json(200, { validationResults: kept.map(render) });
    return;
  }
  const page = positive(ctx.query.get("page"), 1);
  const pageSize = positive(ctx.query.get("pageSize"), 50);
  const slice = kept.slice((page - 1) * pageSize, page * pageSize);
  ctx.json(200, {
    pager: { page, pageCount: Math.max(1, Math.ceil(kept.length / pageSize)), total: kept.length, pageSize },
    validationResults: slice.map(render),
  });
}

/** The validation results module (listed in `src/modules.ts`). */
export const validationResultsModule: EmulatorModule = {
  name: "validation-results",
  install(app) {
    results(app);
    app.get("/api/validationResults", list, { priority: 1 });
    app.get(
      "/api/validationResults/:id",
      (ctx) => {
        const found = results(app).find((r) => String(r.id) === ctx.params.id);
        if (!found) throw new HttpError(404, `ValidationResult with id ${ctx.params.id} could not be found.`);
        ctx.json(200, render(found));
      },
      { priority: 1 },
    );
  },
};
