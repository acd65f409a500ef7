/**
 * A child process that opens one VenueSocket to argv[2], sends "hello", and prints one JSON line
 * per event (open, message, close, error). It runs in its own process so a test can give it
 * NODE_EXTRA_CA_CERTS (the test certificate) exactly as Node reads it: at start-up.
 */
import { VenueSocket } from '../../electron/core/runtime/venue-socket/venue-socket';

const print = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);
const socket = new VenueSocket(process.argv[2]!, 1 << 20, {
  onOpen: () => {
    print({ open: true });
    socket.send('hello');
  },
  onUnexpectedResponse: (res) => print({ status: res.statusCode }),
  onRead: () => {},
  onMessage: (data, start, end) => print({ message: data.toString('utf8', start, end) }),
  onPing: () => {},
  onPong: () => {},
  onError: (err) => print({ error: err.message, code: (err as { code?: string }).code }),
  onClose: (code, reason) => print({ close: code, reason }),
});
