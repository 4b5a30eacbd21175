// `npm run users-api`: serves the recorded users on a fixed port, for `npm start` and `sls invoke local`
// without internet. USERS_API_PORT picks the port (default 8089).
import { RandomUserStandIn } from './random-user-stand-in';

const port = Number(process.env.USERS_API_PORT ?? 8089);
const standIn = new RandomUserStandIn();
standIn.start(port).then((url) => {
  console.log(`Random User API stand-in serving recorded users at ${url} (Ctrl-C to stop)`);
  console.log(`Use it with: USERS_API_URL=${url}`);
});
process.on('SIGINT', () => void standIn.stop().then(() => process.exit(0)));
process.on('SIGTERM', () => void standIn.stop().then(() => process.exit(0)));
