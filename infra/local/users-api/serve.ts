// `npm run users-api`: a Random User API on this machine, for `npm start` and `sls invoke local`
// without internet. By default it generates new users in the API's shape on every call (seed, page,
// nat, inc and exc work as on the real API); `--recorded` serves the recorded responses instead.
// `--faults 503,429,slow,garbage,reset,overloaded` answers the next requests with those faults, in
// order, then users again. USERS_API_PORT picks the port (default 8089).
import { readCommandLine, usageFailure } from '../../command-line';
import { RandomUserStandIn, type StandInReply } from './random-user-stand-in';

const FAULTS: Record<string, StandInReply> = {
  '429': { kind: 'status', status: 429, retryAfter: '1' },
  slow: { kind: 'hang' },
  garbage: { kind: 'garbage' },
  reset: { kind: 'reset' },
  overloaded: { kind: 'overloaded' },
};

const USAGE = `npm run users-api [-- --recorded] [-- --faults F,F,…]: a Random User API on this machine

  (no flag)         generated users in the API's v1.4 shape on every call (seed, page, nat, inc, exc work)
  --recorded        the recorded real responses instead
  --faults F,F,…    answer the next requests with these faults, in order, then users again:
                    5xx status codes, ${Object.keys(FAULTS).join(', ')}

USERS_API_PORT picks the port (default 8089). Use it with USERS_API_URL=http://127.0.0.1:8089/api/ npm start.`;

function fault(name: string): StandInReply {
  if (FAULTS[name]) return FAULTS[name];
  if (/^5\d\d$/.test(name)) return { kind: 'status', status: Number(name) };
  return usageFailure(USAGE, `--faults: unknown fault "${name}"`);
}

const { values } = readCommandLine({ usage: USAGE, options: { recorded: { type: 'boolean', default: false }, faults: { type: 'string' } } });
const port = Number(process.env.USERS_API_PORT ?? 8089);
const standIn = new RandomUserStandIn(values.recorded ? undefined : 'generated');
if (values.faults) standIn.respondWith(values.faults.split(',').map((name) => fault(name.trim())));
standIn.start(port).then((url) => {
  console.log(`Random User API stand-in serving ${values.recorded ? 'the recorded users' : 'generated users (API v1.4 shape)'} at ${url} (Ctrl-C to stop)`);
  console.log(`Use it with: USERS_API_URL=${url}`);
});
process.on('SIGINT', () => void standIn.stop().then(() => process.exit(0)));
process.on('SIGTERM', () => void standIn.stop().then(() => process.exit(0)));
