/** Cleaning/integration recipes: typed JSON steps → DuckDB SQL (see compile.ts for the design). */
export * from './types';
export * from './errors';
export * from './schema';
export * from './fit';
export * from './compile';
export * from './recipe-json';
export { ident, literal, numberLiteral, typeFamily, type TypeFamily } from './sql-text';
