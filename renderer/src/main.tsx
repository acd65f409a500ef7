import { createRoot } from 'react-dom/client';
import { App } from './App';
import { CoreClient } from './transport/client';
import { pickTransport } from './transport/pick';

const root = createRoot(document.getElementById('root')!);

pickTransport()
  .connect()
  .then((transport) => root.render(<App client={new CoreClient(transport)} />))
  .catch((e: unknown) => root.render(<p role="alert">Cannot connect to the Tickscope core: {String(e)}</p>));
