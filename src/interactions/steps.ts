/**
 * Steps between touchpoints within a session, and the log-scale histogram
 * of the time between them that the median is read from.
 */
export interface SessionState {
  touchpointId: string;
  occurredAt: Date;
}

/** Steps of one segment, pair of touchpoints, day and time bucket, counted. */
export interface Step {
  segmentId: string;
  fromTouchpointId: string;
  toTouchpointId: string;
  day: string;
  bucket: number;
  count: number;
}

interface AtTouchpoint {
  sessionHash: string;
  segmentId: string;
  touchpointId: string | null;
  occurredAt: Date;
}

/** Buckets per doubling of the time: each bucket spans about 19 %, so a median read from one is within about 9 % of the truth. */
const BUCKETS_PER_DOUBLING = 4;

/** The histogram bucket of a time between two interactions. */
export function bucketOf(seconds: number): number {
  return Math.floor(BUCKETS_PER_DOUBLING * Math.log2(1 + Math.max(0, seconds)));
}

/** The time a bucket stands for: the geometric middle of its span, in whole seconds. */
export function secondsOf(bucket: number): number {
  return Math.round(2 ** ((bucket + 0.5) / BUCKETS_PER_DOUBLING) - 1);
}

/**
 * Walks each session's new events at touchpoints in time order from its
 * last known one: a move to another touchpoint is a step (of the segment
 * the later event was served for, on the later event's day); staying at the
 * same touchpoint moves the session's last instant on. An event older than
 * the session's last one (it arrived late) makes no step. Answers the
 * sessions' new last states and the steps, counted.
 */
export function stepsOf(known: Map<string, SessionState>, events: AtTouchpoint[]): { sessions: Map<string, SessionState>; steps: Step[] } {
  const ordered = [...events].sort((a, b) => (a.sessionHash < b.sessionHash ? -1 : a.sessionHash > b.sessionHash ? 1 : a.occurredAt.getTime() - b.occurredAt.getTime()));
  const sessions = new Map<string, SessionState>();
  const steps = new Map<string, Step>();
  for (const e of ordered) {
    if (e.touchpointId === null) continue;
    const last = sessions.get(e.sessionHash) ?? known.get(e.sessionHash);
    if (last && e.occurredAt < last.occurredAt) continue;
    if (last && last.touchpointId !== e.touchpointId) {
      const step = {
        segmentId: e.segmentId,
        fromTouchpointId: last.touchpointId,
        toTouchpointId: e.touchpointId,
        day: e.occurredAt.toISOString().slice(0, 10),
        bucket: bucketOf((e.occurredAt.getTime() - last.occurredAt.getTime()) / 1000),
      };
      const key = `${step.segmentId}\n${step.fromTouchpointId}\n${step.toTouchpointId}\n${step.day}\n${step.bucket}`;
      const counted = steps.get(key);
      if (counted) counted.count += 1;
      else steps.set(key, { ...step, count: 1 });
    }
    sessions.set(e.sessionHash, { touchpointId: e.touchpointId, occurredAt: e.occurredAt });
  }
  return { sessions, steps: [...steps.values()] };
}

/** The median of a histogram (bucket → count): the time of the bucket holding the middle step. */
export function medianSeconds(histogram: Map<number, number>): number | null {
  const total = [...histogram.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket) ?? 0;
    if (seen * 2 >= total) return secondsOf(bucket);
  }
  return null;
}
