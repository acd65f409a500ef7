/**
 * electron-builder.yml, read and validated by electron-builder's own code (its YAML reader and
 * its JSON schema, resolved through the installed electron-builder), sets the Electron fuses
 * that close the ways to run other code with the packaged app's identity.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

// app-builder-lib is what electron-builder packs with; resolve it the way electron-builder does.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const fromAppBuilder = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));
const { findAndReadConfig } = fromBuilder('app-builder-lib/out/util/config/load') as {
  findAndReadConfig(req: { projectDir: string; configFilename: string; packageKey: string }): Promise<{ result: Record<string, unknown>; configFile: string } | null>;
};
const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = fromAppBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

async function builderConfig(): Promise<Record<string, unknown>> {
  const read = await findAndReadConfig({ projectDir: root, configFilename: 'electron-builder', packageKey: 'build' });
  expect(read?.configFile).toBe(join(root, 'electron-builder.yml'));
  return read!.result;
}

/** electron-builder's schema validator coerces types ("false" -> false) and edits in place. */
function validate(config: unknown): Promise<void> {
  return validateConfiguration(structuredClone(config), new DebugLogger(false));
}

describe('electron-builder.yml: Electron fuses', () => {
  it('sets every hardening fuse, as real booleans', async () => {
    const config = await builderConfig();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
      resetAdHocDarwinSignature: true,
    });
    // onlyLoadAppFromAsar and asar integrity need the app packed into an asar.
    expect(config.asar).toBe(true);
  });

  it('is valid against the schema of the installed electron-builder', async () => {
    await expect(validate(await builderConfig())).resolves.toBeUndefined();
  });

  it('would fail that validation on a misspelled or mistyped fuse (the check has teeth)', async () => {
    const config = await builderConfig();
    await expect(validate({ ...config, electronFuses: { runAsnode: false } })).rejects.toThrow(/electronFuses/);
    await expect(validate({ ...config, electronFuses: { runAsNode: 'no' } })).rejects.toThrow(/runAsNode/);
  });
});
