/**
 * The core as the app runs it, shared by the Electron shell and the web host: settings from the
 * data dir (or a --config file), the pipeline, and the API that UIs attach to.
 */
import type { Settings } from '../../shared/config';
import { CoreApi } from './api/core-api';
import { DEFAULT_TIMEFRAME_LIST } from './pipeline/defaults';
import { startPipeline, type Pipeline } from './pipeline/pipeline';
import { readConfigFile } from './settings/read-config';
import { SettingsFile } from './settings/settings-file';

export interface CoreApp {
  pipeline: Pipeline;
  api: CoreApi;
  /** settings.json in the data dir (not written when a --config file was given). */
  settingsFile: SettingsFile;
  stop(): Promise<void>;
}

export async function startCoreApp(opts: { dataDir: string; configFile?: string | null }): Promise<CoreApp> {
  const settingsFile = new SettingsFile(opts.dataDir);
  let settings: Settings;
  let notices: string[];
  if (opts.configFile) {
    // An explicit config file wins over the stored settings (and is not rewritten by the UI).
    settings = await readConfigFile(opts.configFile);
    notices = [];
  } else {
    ({ settings, notices } = await settingsFile.load());
  }
  const timeframes = settings.timeframes ?? DEFAULT_TIMEFRAME_LIST;
  // Replay files of a --config file are read where they are (the file came from the command
  // line); those of settings.json, which the UI writes, only from <data dir>/recordings.
  const pipeline = await startPipeline({
    feeds: settings.feeds,
    timeframes,
    alerts: settings.alerts,
    dataDir: opts.dataDir,
    trustedReplayPaths: !!opts.configFile,
  });
  // Feed and alert changes each save their own part over the latest of the other (saves are
  // serialised by SettingsFile); a save that fails puts its part back as it was.
  let current = settings;
  const save = (patch: Pick<Settings, 'feeds'> | Pick<Settings, 'alerts'>): Promise<void> => {
    const before = current;
    current = { ...current, ...patch };
    return settingsFile.saveFeeds(current.feeds, current).catch((e: unknown) => {
      current = 'feeds' in patch ? { ...current, feeds: before.feeds } : { ...current, alerts: before.alerts };
      throw e;
    });
  };
  const api = new CoreApi(pipeline, {
    timeframes,
    notices,
    alerts: settings.alerts,
    onFeedsChanged: opts.configFile ? undefined : (feeds) => save({ feeds }),
    onAlertsChanged: opts.configFile ? undefined : (alerts) => save({ alerts }),
  });
  return { pipeline, api, settingsFile, stop: () => pipeline.stop() };
}
