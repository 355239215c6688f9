import type { Ctx } from "../ctx.js";
import { HttpError } from "../web-message.js";

/**
 * The maintenance endpoints require `F_PERFORM_MAINTENANCE` (or `ALL`): dhis2-core
 * `ResourceTableController` / `MaintenanceController` (`@RequiresAuthority(anyOf =
 * F_PERFORM_MAINTENANCE)`); other users get 403.
 */
export function requireMaintenanceAuthority(ctx: Ctx): void {
  const authorities = ctx.user?.authorities ?? [];
  if (authorities.includes("ALL") || authorities.includes("F_PERFORM_MAINTENANCE")) return;
  throw new HttpError(403, "Access is denied, requires one Authority from [F_PERFORM_MAINTENANCE]");
}
