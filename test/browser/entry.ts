// What a web application bundles: Kasane's public entry and its polyfill, imported by package
// name as users do (esbuild resolves them through package.json "exports" and "imports").

export * from 'kasane';
export { install } from 'kasane/polyfill';
