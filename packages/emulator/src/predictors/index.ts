/**
 * Predictor runs: `POST|PUT /api/predictors/run`, `/api/predictors/{uid}/run`,
 * `/api/predictorGroups/{uid}/run`, with `startDate` and `endDate` query parameters. The answer
 * is a WebMessage "Generated N predictions" (dhis2-core 2.41-2.43 `PredictorController`,
 * `PredictorGroupController`); a predictor that fails answers 409 "Unable to predict <name>" with
 * the reason in `devMessage` (a run of all predictors stops at the first failure, after the
 * earlier ones were written). An unknown predictor is a 500 (the controller meets a null
 * predictor); an unknown predictor group runs nothing. Needs `F_PREDICTOR_RUN` (or `ALL`).
 * Listed in `src/modules.ts`.
 */
import type { EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import type { MetadataObject } from "../metadata-store.js";
import { HttpError } from "../web-message.js";
import { newSummary, PredictionError, runPredictor } from "./predict.js";

const DAY_MS = 86_400_000;

/** A `Date` request parameter as DHIS2's converter reads it (`yyyy-MM-dd`, or an ISO date-time). */
function dateParam(ctx: Ctx, name: string): number {
  const raw = ctx.query.get(name);
  if (raw === null) {
    throw new HttpError(
      400,
      `Required request parameter '${name}' for method parameter type Date is not present`,
    );
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(raw);
  const day = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(day) || new Date(day).getUTCDate() !== Number(m[3])) {
    throw new HttpError(400, `Value '${raw}' is not valid for parameter ${name}. It should be of type Date`);
  }
  return Math.floor(day / DAY_MS);
}

/** `MessageFormat`'s default for a Date (`SHORT` date and time, en): `1/31/24, 12:00 AM`. */
function javaShortDate(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${String(d.getUTCFullYear()).slice(2)}, 12:00 AM`;
}

function requireRunAuthority(ctx: Ctx): void {
  const authorities = ctx.user?.authorities ?? [];
  if (!authorities.includes("ALL") && !authorities.includes("F_PREDICTOR_RUN")) {
    throw new HttpError(403, "Access is denied, requires one Authority from [F_PREDICTOR_RUN]");
  }
}

function dates(ctx: Ctx): [number, number] {
  requireRunAuthority(ctx);
  const start = dateParam(ctx, "startDate");
  const end = dateParam(ctx, "endDate");
  if (start > end && ctx.state.behaviour.validation.predictorsRefuseReversedDates) {
    throw new HttpError(
      409,
      `Start date is after end date: \`${javaShortDate(start)}\`, \`${javaShortDate(end)}\``,
      {
        errorCode: "E7206",
      },
    );
  }
  return [start, end];
}

/** Runs predictors in order; the first failure answers 409 with `failure(predictor)`. */
function run(ctx: Ctx, predictors: readonly MetadataObject[], failure: (p: MetadataObject) => string): void {
  const [start, end] = dates(ctx);
  let predictions = 0;
  for (const predictor of predictors) {
    const summary = newSummary();
    try {
      runPredictor(ctx.app, ctx.user, predictor, start, end, summary);
    } catch (error) {
      if (!(error instanceof PredictionError)) throw error;
      throw new HttpError(409, failure(predictor), { devMessage: error.message });
    }
    predictions += summary.inserted + summary.updated + summary.unchanged;
  }
  ctx.webMessage(200, `Generated ${predictions} predictions`);
}

/** The predictors module. */
export const predictorsModule: EmulatorModule = {
  name: "predictors",
  install(app) {
    for (const method of ["POST", "PUT"] as const) {
      app.route(
        method,
        "/api/predictors/run",
        (ctx) =>
          run(ctx, ctx.state.metadata.list("predictors"), (p) => `Unable to predict ${String(p.name)}`),
        { priority: 1 },
      );
      app.route(
        method,
        "/api/predictors/:id/run",
        (ctx) => {
          const predictor = ctx.state.metadata.get("predictors", ctx.params.id ?? "");
          if (!predictor) {
            dates(ctx);
            // PredictorController logs `predictor.getName()` in its catch block on a null predictor.
            throw new HttpError(
              500,
              'Cannot invoke "org.hisp.dhis.predictor.Predictor.getName()" because "predictor" is null',
            );
          }
          run(ctx, [predictor], (p) => `Unable to predict ${String(p.name)}`);
        },
        { priority: 1 },
      );
      app.route(
        method,
        "/api/predictorGroups/:id/run",
        (ctx) => {
          const id = ctx.params.id ?? "";
          const group = ctx.state.metadata.get("predictorGroups", id);
          const members = ((group?.predictors as { id?: string }[] | undefined) ?? [])
            .map((r) => ctx.state.metadata.get("predictors", r.id ?? ""))
            .filter((p): p is MetadataObject => p !== undefined)
            .sort((a, b) => String(a.name ?? "").localeCompare(String(b.name ?? "")));
          run(ctx, members, () => `Unable to predict from predictor group ${id}`);
        },
        { priority: 1 },
      );
    }
  },
};
