export { UnknownObjectError, ValidationInputError } from "./errors.js";
export type { DhisDate } from "./inputs.js";
export {
  type ExpressionDescription,
  Importance,
  toViolation,
  ValidationResultView,
  type ValidationViolation,
} from "./schemas.js";
export {
  createValidation,
  type DescribeExpressionOptions,
  Validation,
  type ValidationHttp,
  type ValidationRunOptions,
} from "./validation.js";
