import type { Scenario } from './scenarios.js';

/** The matrix benchmark scenario; null until the matrix query exists. */
export const matrixScenario: Scenario | null = null;
