/**
 * `--publish nats://...`: the headless runner as a shared ingest node. Every record of the
 * pipeline's taps goes to the JetStream publisher (scaleout/nats-publisher.ts); its counters end
 * up in the summary record (`publish`), and errors (credentials redacted) on stderr, at most one
 * line every 5 s so a NATS outage does not flood it.
 */
import type { Pipeline } from '../pipeline/pipeline';
import { credentialsFromEnv } from '../scaleout/connect';
import { NatsPublisher } from '../scaleout/nats-publisher';
import type { PublishArgs } from './args';

const ERROR_LINE_EVERY_MS = 5_000;

export async function startPublishing(pipeline: Pipeline, args: PublishArgs, stderr: NodeJS.WritableStream): Promise<NatsPublisher> {
  let lastLine = 0;
  const publisher = new NatsPublisher({
    url: args.url,
    credentials: credentialsFromEnv(process.env),
    ...(args.stream !== undefined ? { stream: args.stream } : {}),
    ...(args.maxAgeMs !== undefined ? { maxAgeMs: args.maxAgeMs } : {}),
    ...(args.maxBytes !== undefined ? { maxBytes: args.maxBytes } : {}),
    onError: (text) => {
      const now = Date.now();
      if (now - lastLine < ERROR_LINE_EVERY_MS) return;
      lastLine = now;
      stderr.write(`headless: publish: ${text} (retrying; ${publisher.stats().bufferedRecords} records buffered)\n`);
    },
  });
  await publisher.start();
  pipeline.onRecord(publisher.publish);
  return publisher;
}
