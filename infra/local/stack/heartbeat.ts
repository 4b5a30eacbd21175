// Long steps of the launcher (the first download of the jars, a JVM's start, a cluster's 70 s) say
// what they are doing every few seconds, so a quiet terminal never looks like a hung one.

/** Runs `work`, logging "still <what> (N s)" every `everyMs` until it settles. */
export async function withHeartbeat<T>(log: (line: string) => void, what: string, work: Promise<T>, everyMs = 5000): Promise<T> {
  const began = Date.now();
  const timer = setInterval(() => log(`still ${what} (${Math.round((Date.now() - began) / 1000)} s)`), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
