export * from "./data-sets.js";
