/**
 * The file a worker thread runs. From the compiled build (dist/, plain JavaScript) that is the
 * compiled module itself; from src/ under tsx (development, tests) it is the `.mjs` bootstrap
 * beside it that registers tsx first, because a worker does not inherit the TypeScript loader.
 */
export function workerFile(name: string, callerUrl: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.mjs' : '.js'}`, callerUrl);
}
