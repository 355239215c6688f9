/**
 * Validation: rule analysis over the stored data (`POST /api/dataAnalysis/validationRules`,
 * `analysis.ts`; results persisted into `/api/validationResults`) and the expression description
 * endpoints (`describe.ts`). Listed in `src/modules.ts`.
 */
import type { EmulatorModule } from "../app.js";
import { validationRulesAnalysis } from "./analysis.js";
import { installDescriptionRoutes } from "./describe.js";

/** The validation module. */
export const validationModule: EmulatorModule = {
  name: "validation",
  install(app) {
    app.post("/api/dataAnalysis/validationRules", validationRulesAnalysis, { priority: 1 });
    installDescriptionRoutes(app);
  },
};

export { type DescribeOutcome, describeStored } from "./describe.js";
export {
  type EvaluationEnv,
  ExpressionEvaluationError,
  evaluateExpression,
  type MissingValueStrategy,
  type Value,
} from "./evaluate.js";
