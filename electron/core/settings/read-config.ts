/**
 * Reads a feed settings file (`{"feeds":[...]}`) for the headless runner and web host. Unlike
 * settings.json, a --config file is something the user named on purpose: any problem is a
 * ConfigError naming the file and what is wrong (the callers exit 2 with it). The same limits as
 * settings.json apply before parsing: regular file, size (stat first), nesting depth.
 */
import { ConfigError, parseSettings, type Settings } from '../../../shared/config';
import { FileLimitError, MAX_SETTINGS_BYTES, readTextCapped, settingsTextProblem } from './file-limits';

export async function readConfigFile(path: string): Promise<Settings> {
  let text: string;
  try {
    text = await readTextCapped(path, MAX_SETTINGS_BYTES);
  } catch (e) {
    throw new ConfigError(`${path}: cannot read (${e instanceof FileLimitError ? e.message : String(e)})`);
  }
  const problem = settingsTextProblem(text);
  if (problem) throw new ConfigError(`${path}: not a settings file (${problem})`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  try {
    return parseSettings(json);
  } catch (e) {
    throw new ConfigError(`${path}: ${(e as Error).message}`);
  }
}
