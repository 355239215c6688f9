export { SqlViewError, SqlViewInputError, type SqlViewRunOptions, SqlViews } from "./sql-views.js";
