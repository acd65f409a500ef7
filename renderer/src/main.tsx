import { createRoot } from 'react-dom/client';
import { App } from './App';
import { attachIngest } from './stores/ingest';
import { startFrameMeter } from './stores/perf';
import { CoreClient } from './transport/client';
import { pickTransport } from './transport/pick';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

pickTransport()
  .connect()
  .then((transport) => {
    const client = new CoreClient(transport);
    // Attach before rendering: the core's hello is the first message and must not be missed.
    attachIngest(client);
    startFrameMeter();
    root.render(<App />);
  })
  .catch((e: unknown) => root.render(<p role="alert">Cannot connect to the Tickscope core: {String(e)}</p>));
