/**
 * What differs between the versions in validation rule analysis and predictor runs (the
 * validation module's own table; the core endpoints keep theirs in `src/versions.ts`).
 */
import type { VersionKey } from "../versions.js";

/** Per-version behaviour of `/api/dataAnalysis/validationRules` and `/api/predictors/run`. */
export interface ValidationVersionProfile {
  /**
   * The 400 for a `maxResults` outside 1..limit: 2.41's `DataAnalysisController` words it
   * "greater than 0 and less than or equal to", 2.42 and 2.43 (a `BadRequestException`) "between".
   */
  readonly maxResultsMessage: (limit: number) => string;
  /**
   * 2.43's `PredictorController` refuses a start date after the end date (409, E7206); 2.41 and
   * 2.42 run over no periods and answer "Generated 0 predictions".
   */
  readonly predictorsRefuseReversedDates: boolean;
}

export const VALIDATION_VERSIONS: Readonly<Record<VersionKey, ValidationVersionProfile>> = {
  v41: {
    maxResultsMessage: (limit) => `Max results must be greater than 0 and less than or equal to ${limit}`,
    predictorsRefuseReversedDates: false,
  },
  v42: {
    maxResultsMessage: (limit) => `Max results must be between 1 and ${limit}`,
    predictorsRefuseReversedDates: false,
  },
  v43: {
    maxResultsMessage: (limit) => `Max results must be between 1 and ${limit}`,
    predictorsRefuseReversedDates: true,
  },
};
