import type { WorkerOptions } from 'node:worker_threads';

/**
 * The thread starts from a small inline script that loads its module: from
 * the build, the .js file as it is; from the TypeScript sources (npm start,
 * the tests), the .ts file through tsx's loader registered in the thread
 * first, since Node 20 does not carry the main thread's loader into a
 * worker's entry. The loader stays registered, so the thread can import
 * other modules of the project by their URLs too.
 */
export const MODULE_WORKER = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  await import(workerData.entry);
})();
`;

/**
 * Options for `new Worker(MODULE_WORKER, …)` running the module `name` beside
 * the module at `besideUrl` (its import.meta.url), with `data` as its
 * workerData.
 */
export function moduleWorkerOptions<Data extends object>(besideUrl: string, name: string, data: Data): WorkerOptions {
  const typescript = besideUrl.endsWith('.ts');
  const entry = new URL(`./${name}.${typescript ? 'ts' : 'js'}`, besideUrl).href;
  return { eval: true, workerData: { ...data, entry, loader: typescript ? import.meta.resolve('tsx/esm/api') : null }, execArgv: [] };
}
