import type { Scenario } from './scenarios.js';

/** The calendar benchmark scenario; null until the calendar query exists. */
export const calendarScenario: Scenario | null = null;
