export { PredictorInputError } from "./errors.js";
export {
  createPredictors,
  type PredictionRun,
  type PredictorRunOptions,
  Predictors,
  type PredictorsHttp,
} from "./predictors.js";
