/**
 * The Standard Schema v1 interface (https://standardschema.dev), copied as its authors intend so
 * that the client accepts zod, valibot, arktype ... without depending on any of them.
 */

/** A validator that implements Standard Schema v1. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}

export declare namespace StandardSchemaV1 {
  export interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  export interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  export interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  export interface PathSegment {
    readonly key: PropertyKey;
  }
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<
    Schema["~standard"]["types"]
  >["input"];
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<
    Schema["~standard"]["types"]
  >["output"];
}

/** Renders Standard Schema issues as `"path: message; ..."` (at most `max` of them). */
export function formatIssues(issues: ReadonlyArray<StandardSchemaV1.Issue>, max = 10): string {
  const shown = issues.slice(0, max).map((issue) => {
    const path = (issue.path ?? [])
      .map((seg) => String(typeof seg === "object" && seg !== null ? seg.key : seg))
      .join(".");
    return `${path || "(root)"}: ${issue.message}`;
  });
  const more = issues.length > max ? `; and ${issues.length - max} more` : "";
  return shown.join("; ") + more;
}
