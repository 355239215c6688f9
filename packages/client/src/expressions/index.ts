export {
  AGGREGATION_FUNCTIONS,
  type BinaryNode,
  type CallNode,
  type DotCallNode,
  type ExpressionNode,
  type GroupNode,
  type ItemNode,
  type LiteralNode,
  type OrgUnitFunctionNode,
  type Span,
  type UnaryNode,
  type VariableNode,
  walkExpression,
} from "./ast.js";
export {
  CONTEXT_DATA_TYPES,
  CONTEXT_LABELS,
  EXPRESSION_CONTEXTS,
  type ExpressionContext,
  isSupportedIn,
} from "./contexts.js";
export { ExpressionSyntaxError } from "./errors.js";
export { type ParsedExpression, parseExpression } from "./parser.js";
